// Reading S7 tags per cycle from the simulator's S7 server: Fabrik's driver beside snap7's client (item by item and
// multi-read) and nodes7, for the 19-tag and 500-tag workloads, with and without 5 ms device latency.
import { createRequire } from "node:module";
import { connect } from "../src/plc/index.ts";
import { type BenchTag, WORKLOADS, type Workload } from "./s7/map.ts";
import { type Benchmark, percentile, type Table, verdict } from "./support/benchmark.ts";
import { startDeviceProcess } from "./support/device-process.ts";

const require = createRequire(import.meta.url);

interface Device {
  readonly port: number;
  jobs(): Promise<number>;
  stop(): Promise<void>;
}

async function startDevice(latencyMs: number): Promise<Device> {
  const module = new URL("./s7/device.ts", import.meta.url);
  const child = await startDeviceProcess<{ port: number }, { jobs: number }>(module, ["--latency", String(latencyMs)]);
  return { port: child.ready.port, jobs: async () => (await child.stats()).jobs, stop: child.stop };
}

/** One read of every tag of a workload; resolves to how many tags had no good value. */
type Cycle = () => Promise<number>;

interface Client {
  readonly name: string;
  open(port: number, workload: Workload): Promise<{ cycle: Cycle; close(): Promise<void> }>;
}

function fabrik(query: string): Client {
  return {
    name: `Fabrik${query === "" ? "" : ` (${query})`}`,
    async open(port, workload) {
      const url = `s7://127.0.0.1:${port}?remote-slot=1&controller-type=S7_1500${query === "" ? "" : `&${query}`}`;
      const plc = await connect(url);
      const tags = Object.freeze(Object.fromEntries(workload.tags.map((tag) => [tag.alias, tag.address])));
      return {
        cycle: async () => Object.values(await plc.read(tags)).filter((reading) => reading.code !== "OK").length,
        close: () => plc.close(),
      };
    },
  };
}

/** The part of node-snap7's S7Client used here (its doc/client.md). */
interface Snap7Client {
  readonly RemotePort: number;
  readonly S7AreaPE: number;
  readonly S7AreaPA: number;
  readonly S7AreaMK: number;
  readonly S7AreaDB: number;
  readonly S7WLBit: number;
  readonly S7WLByte: number;
  SetParam(param: number, value: number): boolean;
  ConnectTo(ip: string, rack: number, slot: number, callback: (error: unknown) => void): void;
  ReadArea(
    area: number,
    db: number,
    start: number,
    amount: number,
    wordLen: number,
    callback: (error: unknown, data: Buffer) => void,
  ): void;
  ReadMultiVars(vars: readonly object[], callback: (error: unknown, result: { Result: number }[]) => void): void;
  Disconnect(): boolean;
}

function snap7Item(client: Snap7Client, tag: BenchTag) {
  const area = { DB: client.S7AreaDB, I: client.S7AreaPE, Q: client.S7AreaPA, M: client.S7AreaMK, D: client.S7AreaPE }[
    tag.parsed.area
  ];
  const bit = tag.parsed.type === "BOOL";
  return {
    Area: area,
    WordLen: bit ? client.S7WLBit : client.S7WLByte,
    DBNumber: tag.parsed.dbNumber,
    Start: bit ? tag.parsed.byteOffset * 8 + tag.parsed.bitOffset : tag.parsed.byteOffset,
    Amount: bit ? 1 : tag.parsed.byteLength,
  };
}

/** snap7's client: one ReadArea per tag, or ReadMultiVars of 20 items at most; snap7 runs one job at a time. */
function snap7(multi: boolean): Client {
  return {
    name: multi ? "snap7, multi-read (20 items a call)" : "snap7, item by item",
    async open(port, workload) {
      const api = new (require("node-snap7") as { S7Client: new () => Snap7Client }).S7Client();
      api.SetParam(api.RemotePort, port);
      await new Promise<void>((resolve, reject) =>
        api.ConnectTo("127.0.0.1", 0, 1, (error) => (error ? reject(new Error(`snap7: ${error}`)) : resolve())),
      );
      const items = workload.tags.map((tag) => snap7Item(api, tag));
      const one = (item: (typeof items)[number]) =>
        new Promise<number>((resolve) =>
          api.ReadArea(item.Area, item.DBNumber, item.Start, item.Amount, item.WordLen, (error) =>
            resolve(error ? 1 : 0),
          ),
        );
      const many = (chunk: readonly object[]) =>
        new Promise<number>((resolve) =>
          api.ReadMultiVars(chunk, (error, result) =>
            resolve(error ? chunk.length : result.filter((r) => r.Result !== 0).length),
          ),
        );
      return {
        cycle: async () => {
          let bad = 0;
          if (multi) for (let i = 0; i < items.length; i += 20) bad += await many(items.slice(i, i + 20));
          else for (const item of items) bad += await one(item);
          return bad;
        },
        close: async () => {
          api.Disconnect();
        },
      };
    },
  };
}

/** The part of nodes7 used here (its README). */
interface NodeS7 {
  isoclient?: { setNoDelay(on: boolean): void };
  initiateConnection(options: Record<string, unknown>, callback: (error?: unknown) => void): void;
  addItems(items: readonly string[]): void;
  readAllItems(callback: (anyBad: boolean, values: Record<string, unknown>) => void): void;
  dropConnection(callback?: () => void): void;
}

/** nodes7, pure JavaScript, with TCP_NODELAY on its socket; it packs and parallelises requests on its own. */
function nodes7(): Client {
  return {
    name: "nodes7 (TCP_NODELAY)",
    async open(port, workload) {
      const NodeS7Class = require("nodes7") as new (options: { silent: boolean }) => NodeS7;
      const conn = new NodeS7Class({ silent: true });
      await new Promise<void>((resolve, reject) =>
        conn.initiateConnection({ host: "127.0.0.1", port, rack: 0, slot: 1 }, (error) =>
          error ? reject(new Error(`nodes7: ${String(error)}`)) : resolve(),
        ),
      );
      conn.isoclient?.setNoDelay(true);
      conn.addItems(workload.tags.map((tag) => tag.nodes7));
      return {
        cycle: () =>
          new Promise<number>((resolve) =>
            conn.readAllItems((anyBad, values) => {
              resolve(anyBad ? workload.tags.filter((tag) => values[tag.nodes7] === undefined).length || 1 : 0);
            }),
          ),
        close: () => new Promise<void>((resolve) => conn.dropConnection(() => resolve())),
      };
    },
  };
}

const CLIENTS: readonly Client[] = [
  fabrik(""),
  fabrik("max-items-per-request=255"),
  snap7(false),
  snap7(true),
  nodes7(),
];

/** A client is measured for at most this long (and at least MIN_CYCLES cycles), however many cycles were asked for. */
const MAX_CLIENT_MS = 20_000;
const MIN_CYCLES = 20;

interface Row {
  readonly latencyMs: number;
  readonly workload: string;
  readonly client: string;
  readonly cycles: number;
  readonly pdus: number;
  readonly p50: number;
  readonly p99: number;
  readonly bad: number;
}

function verdicts(rows: readonly Row[]): string[] {
  const lines: string[] = [];
  for (const latencyMs of [0, 5]) {
    for (const { name } of WORKLOADS) {
      const group = rows.filter((row) => row.latencyMs === latencyMs && row.workload === name);
      const ours = group.find((row) => row.client === "Fabrik");
      if (ours === undefined) continue;
      const others = group.filter((row) => !row.client.startsWith("Fabrik"));
      const fewest = others.every((row) => ours.pdus <= row.pdus);
      const fastest = others.every((row) => ours.p50 <= row.p50);
      const oneTrip = latencyMs === 0 || ours.p50 < 2 * latencyMs;
      lines.push(
        `${latencyMs} ms, ${name}: fewest PDUs ${verdict(fewest)}; fastest p50 ${verdict(fastest)}` +
          (latencyMs === 0 ? "" : `; one round trip (p50 < ${2 * latencyMs} ms) ${verdict(oneTrip)}`),
      );
    }
  }
  return lines;
}

interface Measured {
  readonly client: Client;
  readonly session: { cycle: Cycle; close(): Promise<void> };
  readonly times: number[];
  pdus: number;
  bad: number;
  spentMs: number;
}

/**
 * Measures every client on one workload. Each is warmed up and its PDUs per cycle counted alone; then the timed cycles
 * go round-robin, one cycle of each client in turn, so that drift (GC, other processes, CPU clocks) falls on all of them
 * alike. A client that has spent MAX_CLIENT_MS (snap7 item by item: seconds a cycle) stops after MIN_CYCLES.
 */
async function measure(device: Device, workload: Workload, latencyMs: number, cycles: number, warmup: number) {
  const clients: Measured[] = [];
  for (const client of CLIENTS) {
    const session = await client.open(device.port, workload);
    const warmUntil = performance.now() + MAX_CLIENT_MS / 10;
    for (let i = 0; i < warmup && (i < 2 || performance.now() < warmUntil); i++) await session.cycle();
    const before = await device.jobs();
    const counted = 5;
    for (let i = 0; i < counted; i++) await session.cycle();
    const pdus = ((await device.jobs()) - before) / counted;
    clients.push({ client, session, times: [], pdus, bad: 0, spentMs: 0 });
  }
  for (let cycle = 0; cycle < cycles; cycle++) {
    for (const measured of clients) {
      if (measured.times.length >= MIN_CYCLES && measured.spentMs > MAX_CLIENT_MS) continue;
      const started = performance.now();
      measured.bad += await measured.session.cycle();
      const elapsed = performance.now() - started;
      measured.times.push(elapsed);
      measured.spentMs += elapsed;
    }
  }
  const rows: Row[] = [];
  for (const measured of clients) {
    await measured.session.close();
    const times = [...measured.times].sort((a, b) => a - b);
    rows.push({
      latencyMs,
      workload: workload.name,
      client: measured.client.name,
      cycles: times.length,
      pdus: Number(measured.pdus.toFixed(2)),
      p50: Number(percentile(times, 50).toFixed(2)),
      p99: Number(percentile(times, 99).toFixed(2)),
      bad: measured.bad,
    });
  }
  return rows;
}

const benchmark: Benchmark = {
  name: "s7",
  description: "19 and 500 S7 tags per cycle from the simulator's S7 server: Fabrik beside snap7 and nodes7",
  needsKafka: false,
  async run({ log, quick }) {
    const cycles = quick ? 20 : 300;
    const warmup = quick ? 5 : 30;
    const rows: Row[] = [];
    for (const latencyMs of [0, 5]) {
      const device = await startDevice(latencyMs);
      try {
        // The device's own code warms up first, so that the first client measured does not pay for it.
        for (const workload of WORKLOADS) {
          const session = await fabrik("").open(device.port, workload);
          for (let i = 0; i < (quick ? 20 : 500); i++) await session.cycle();
          await session.close();
        }
        for (const workload of WORKLOADS) {
          log(`${latencyMs} ms, ${workload.name}: ${CLIENTS.map((client) => client.name).join(", ")}`);
          rows.push(...(await measure(device, workload, latencyMs, cycles, warmup)));
        }
      } finally {
        await device.stop();
      }
    }
    const table: Table = {
      title: `S7: tags per cycle from the simulator's S7-1500 (up to ${cycles} cycles after ${warmup} warm-up cycles)`,
      columns: ["latency ms", "workload", "client", "cycles", "PDUs/cycle", "p50 ms", "p99 ms", "bad tags"],
      rows: rows.map((row) => [
        row.latencyMs,
        row.workload,
        row.client,
        row.cycles,
        row.pdus,
        row.p50,
        row.p99,
        row.bad,
      ]),
      notes: [
        "PDUs/cycle: Read Var jobs the device answered per cycle (counted alone). The CPU grants 960-byte PDUs, 8 jobs.",
        "Timed cycles go round-robin over the clients, one cycle each in turn, so that drift falls on all alike.",
        "Fabrik keeps 20 items a request by default (S7-300/400 and snap7 take no more); 255 shows an S7-1500's limit.",
        "snap7's client runs one job at a time; nodes7 packs items and keeps jobs in flight on its own.",
        ...verdicts(rows),
      ],
    };
    return [table];
  },
};

export default benchmark;
