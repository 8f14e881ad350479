// The benchmark's Modbus device, in a process of its own so the client's CPU is measured alone: the simulator's
// Modbus TCP server serving the 1,000-tag bench map. Run with fork(); it sends { port } once listening and answers
// "stats" messages with the requests its gateway has served.
//   node bench/support/modbus-device.ts [--latency ms] [--serial]
import { parseArgs } from "node:util";
import type { PlcValue } from "../../src/plc/values.ts";
import { buildUnitMap, listenModbus, ModbusGateway, ModbusUnit } from "../../src/sim/modbus/index.ts";
import type { Signal } from "../../src/sim/model/signal.ts";
import { benchMap, benchTags } from "./modbus-map.ts";

const { values } = parseArgs({ options: { latency: { type: "string" }, serial: { type: "boolean" } } });
const clusters = benchMap();
const tags = benchTags(clusters);

// One signal per bench tag; values change with every read so nothing upstream can cache them.
let reads = 0;
const signals: Signal[] = clusters.flatMap((cluster) =>
  cluster.tags.map((tag, i) => {
    const dataType = (tag.address.split(":")[2] ?? "BOOL") as Signal["dataType"];
    const read = (): PlcValue => {
      reads++;
      if (dataType === "BOOL") return (reads + i) % 2 === 0;
      if (dataType === "REAL") return ((reads + i) % 1000) / 4;
      return (reads + i) % 30_000;
    };
    return {
      name: tag.alias,
      machine: "BENCH",
      dataType,
      unit: "",
      description: `bench tag ${tag.address}`,
      writable: cluster.area !== "input-register",
      read,
      write: () => {},
    };
  }),
);

// A PLC that maps one memory block answers reads across the gaps between signal groups (zeros), as the benchmark's
// read-through-gaps optimisation assumes; a sparse device (meter, drive) would refuse them.
const unit = new ModbusUnit(buildUnitMap({ unitId: 1, machine: "BENCH", addresses: tags }, signals), {
  fillGaps: true,
});
const gateway = new ModbusGateway([unit]);
const server = await listenModbus(gateway, {
  port: 0,
  latencyMs: Number(values.latency ?? 0),
  serial: values.serial ?? false,
});
process.send?.({ port: server.port });
process.on("message", (message) => {
  if (message === "stats") process.send?.({ requests: gateway.stats.requests, exceptions: gateway.stats.exceptions });
});
process.on("disconnect", () => {
  void server.close().then(() => process.exit(0));
});
