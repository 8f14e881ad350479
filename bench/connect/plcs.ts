// The simulated PLCs of bench/connect, in a process of their own so their CPU is not the connector's: one simulator
// Modbus TCP server per PLC, each serving the 5,000 tags of plc-map.ts. Run with fork(); it sends { ports } once every
// server listens and answers "stats" with its CPU time so far and the requests its gateways have served.
//   node bench/connect/plcs.ts --count 20
import { parseArgs } from "node:util";
import type { PlcValue } from "../../src/plc/values.ts";
import { buildUnitMap, listenModbus, ModbusGateway, ModbusUnit } from "../../src/sim/modbus/index.ts";
import type { Signal } from "../../src/sim/model/signal.ts";
import { type BenchDataType, plcBlocks, plcName } from "./plc-map.ts";

/** What the child answers to "stats". */
export interface PlcStats {
  /** process.cpuUsage() since the child started, µs. */
  readonly cpuMicros: number;
  readonly requests: number;
}

const { values } = parseArgs({ options: { count: { type: "string" } } });
const count = Number(values.count ?? 20);
const blocks = plcBlocks();

/** A value that changes with every read, so every record carries fresh numbers of realistic length. */
function reader(dataType: BenchDataType, index: number, tick: () => number): () => PlcValue {
  switch (dataType) {
    case "BOOL":
      return () => (tick() + index) % 7 === 0;
    case "REAL":
      return () => ((tick() + index) % 4000) / 8;
    case "INT":
      return () => ((tick() + index) % 2000) - 400;
    case "DINT":
    case "UDINT":
      return () => (tick() * 13 + index) % 1_000_000;
    default:
      return () => (tick() + index) % 65_536;
  }
}

function plcGateway(machine: string): ModbusGateway {
  let reads = 0;
  const tick = () => reads++;
  const tags = blocks.flat();
  const signals: Signal[] = tags.map((tag, index) => ({
    name: tag.alias,
    machine,
    dataType: tag.dataType,
    unit: "",
    description: `bench tag ${tag.address}`,
    writable: false,
    read: reader(tag.dataType, index, tick),
    write: () => {},
  }));
  const addresses = Object.fromEntries(tags.map((tag) => [tag.alias, tag.address]));
  return new ModbusGateway([new ModbusUnit(buildUnitMap({ unitId: 1, machine, addresses }, signals))]);
}

const gateways = Array.from({ length: count }, (_, i) => plcGateway(plcName(i)));
const servers = await Promise.all(gateways.map((gateway) => listenModbus(gateway, { port: 0 })));
process.send?.({ ports: servers.map((server) => server.port) });
process.on("message", (message) => {
  if (message !== "stats") return;
  const cpu = process.cpuUsage();
  const stats: PlcStats = {
    cpuMicros: cpu.user + cpu.system,
    requests: gateways.reduce((sum, g) => sum + g.stats.requests, 0),
  };
  process.send?.(stats);
});
process.on("disconnect", () => {
  void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0));
});
