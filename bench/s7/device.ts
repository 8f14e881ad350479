// The S7 benchmark's PLC, in a process of its own so the clients' CPU is measured alone: the simulator's S7 server with
// the benchmark's DBs (values change on every read). Run with fork(); it sends { port } once listening and answers
// "stats" with the jobs it has answered.
//   node bench/s7/device.ts [--latency ms]
import { parseArgs } from "node:util";
import type { DataType, PlcValue } from "../../src/plc/values.ts";
import type { Signal } from "../../src/sim/model/signal.ts";
import { buildDbMap, type DbTable, S7Server, SimulatedCpu } from "../../src/sim/s7/index.ts";
import { WORKLOADS } from "./map.ts";

const { values } = parseArgs({ options: { latency: { type: "string" } } });

let reads = 0;
function signal(name: string, dataType: DataType, index: number): Signal {
  const read = (): PlcValue => {
    reads++;
    if (dataType === "BOOL") return (reads + index) % 2 === 0;
    if (dataType === "REAL") return ((reads + index) % 1000) / 4;
    return (reads + index) % 30_000;
  };
  return { name, machine: "BENCH", dataType, unit: "", description: name, writable: false, read, write: () => {} };
}

// One DB table per DB the workloads name; the input bits are BOOL sensors of DB99, wired to %I as a PLC's are.
const tables = new Map<number, { table: DbTable; signals: Signal[] }>();
const inputs: Record<string, string> = {};
for (const { tags } of WORKLOADS) {
  for (const [index, { alias, address, parsed }] of tags.entries()) {
    const db = parsed.area === "DB" ? parsed.dbNumber : parsed.area === "I" ? 99 : undefined;
    if (db === undefined) continue;
    const entry = tables.get(db) ?? { table: { machine: `DB${db}`, db, addresses: {} }, signals: [] };
    tables.set(db, entry);
    const inDb = parsed.area === "DB" ? address : `%DB99.DBX${parsed.byteOffset}.${parsed.bitOffset}:BOOL`;
    entry.table = { ...entry.table, addresses: { ...entry.table.addresses, [alias]: inDb } };
    if (parsed.area === "I") inputs[alias] = address;
    entry.signals.push(signal(alias, parsed.type as DataType, index));
  }
}
const maps = [...tables.values()].map(({ table, signals }) =>
  buildDbMap(table.db === 99 ? { ...table, inputs } : table, signals),
);
const cpu = new SimulatedCpu(maps);
const server = await new S7Server(cpu, { port: 0, latencyMs: Number(values.latency ?? 0) }).listen();
process.send?.({ port: server.port });
process.on("message", (message) => {
  if (message === "stats") process.send?.({ jobs: server.stats.jobs });
});
process.on("disconnect", () => {
  void server.close().then(() => process.exit(0));
});
