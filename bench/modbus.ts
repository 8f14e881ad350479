// Reading 1,000 Modbus tags per cycle from the simulator's Modbus TCP server: Fabrik's driver (read optimizer, requests
// in flight) beside modbus-serial's client reading the map block by block, with and without 5 ms device latency.
import { once } from "node:events";
import { createRequire } from "node:module";
import { createConnection } from "node:net";
import type ModbusSerial from "modbus-serial";
import { connect } from "../src/plc/index.ts";
import { parseModbusAddress } from "../src/plc/modbus/address.ts";
import { encodeAdu, MbapFrameSplitter } from "../src/plc/modbus/mbap.ts";
import { planReads } from "../src/plc/modbus/optimizer.ts";
import { encodeRequest } from "../src/plc/modbus/pdu.ts";
import { type Benchmark, percentile } from "./support/benchmark.ts";
import { startDeviceProcess } from "./support/device-process.ts";
import { benchMap, benchTags, type Cluster } from "./support/modbus-map.ts";

// modbus-serial is CommonJS whose typings declare an ES default export; require gives the class its real type.
const ModbusRTU = createRequire(import.meta.url)("modbus-serial") as typeof ModbusSerial.default;
type ModbusRTU = InstanceType<typeof ModbusRTU>;

interface Device {
  readonly port: number;
  requests(): Promise<number>;
  stop(): Promise<void>;
}

async function startDevice(latencyMs: number, serial: boolean): Promise<Device> {
  const args = ["--latency", String(latencyMs), ...(serial ? ["--serial"] : [])];
  const module = new URL("./support/modbus-device.ts", import.meta.url);
  const child = await startDeviceProcess<{ port: number }, { requests: number }>(module, args);
  return { port: child.ready.port, requests: async () => (await child.stats()).requests, stop: child.stop };
}

/** One read of every tag; resolves to how many tags had no good value. */
type Cycle = () => Promise<number>;

interface Client {
  readonly name: string;
  /** Tag values one cycle reads (1,000 unless said). */
  readonly tagsPerCycle?: number;
  open(port: number): Promise<{ cycle: Cycle; close(): Promise<void> }>;
}

function fabrik(maxConcurrent: number): Client {
  const tags = benchTags(benchMap());
  return {
    name: `Fabrik, max-concurrent-requests=${maxConcurrent}`,
    async open(port) {
      const plc = await connect(`modbus-tcp://127.0.0.1:${port}?max-concurrent-requests=${maxConcurrent}`);
      return {
        cycle: async () => Object.values(await plc.read(tags)).filter((r) => r.code !== "OK").length,
        close: () => plc.close(),
      };
    },
  };
}

/** modbus-serial reading each cluster with one request, one at a time or all in flight, and decoding every tag. */
function modbusSerial(inFlight: boolean): Client {
  const clusters = benchMap();
  return {
    name: `modbus-serial, block by block${inFlight ? ", all in flight" : ""}`,
    async open(port) {
      const client: ModbusRTU = new ModbusRTU();
      await client.connectTCP("127.0.0.1", { port });
      client.setID(1);
      client.setTimeout(5000);
      const readCluster = async (c: Cluster) => {
        if (c.area === "coil") return decodeClusterBits((await client.readCoils(c.start - 1, c.length)).data, c);
        const read = c.area === "holding-register" ? client.readHoldingRegisters : client.readInputRegisters;
        return decodeClusterWords((await read.call(client, c.start - 1, c.length)).buffer, c);
      };
      return {
        cycle: async () => {
          let decoded = 0;
          if (inFlight) decoded = (await Promise.all(clusters.map(readCluster))).reduce((a, b) => a + b, 0);
          else for (const c of clusters) decoded += await readCluster(c);
          return 1000 - decoded;
        },
        close: () => new Promise<void>((resolve) => client.close(() => resolve())),
      };
    },
  };
}

/**
 * The floor: the optimizer's request frames sent in one write and their answers awaited, nothing decoded. No client
 * can read this map from this device faster.
 */
function rawFrames(): Client {
  return rawClient("raw frames, nothing decoded (the floor)", floorFrames());
}

/** One request for one register: what a round trip to this device costs on this machine, with nothing to decode. */
function oneRegister(): Client {
  const frame = encodeAdu({
    transactionId: 1,
    unitId: 1,
    pdu: encodeRequest({ functionCode: 3, address: benchMap()[0]!.start - 1, quantity: 1 }),
  });
  return { ...rawClient("one register, one request (a round trip)", [frame]), tagsPerCycle: 1 };
}

/** The optimizer's request frames for the bench map. */
function floorFrames(): Uint8Array[] {
  const tags = new Map(Object.entries(benchTags(benchMap())).map(([alias, text]) => [alias, parseModbusAddress(text)]));
  const plan = planReads(tags, { defaultUnitId: 1, maxRegistersPerRequest: 125, maxCoilsPerRequest: 2000 });
  const functionCodes = { coil: 1, "discrete-input": 2, "holding-register": 3, "input-register": 4 } as const;
  return plan.requests.map((block, index) =>
    encodeAdu({
      transactionId: index + 1,
      unitId: 1,
      pdu: encodeRequest({ functionCode: functionCodes[block.area], address: block.address, quantity: block.quantity }),
    }),
  );
}

/** Sends `frames` in one write per cycle and waits for as many answers, decoding nothing. */
function rawClient(name: string, frames: readonly Uint8Array[]): Client {
  const bytes = Buffer.concat(frames);
  return {
    name,
    async open(port) {
      const socket = createConnection({ host: "127.0.0.1", port, noDelay: true });
      await once(socket, "connect");
      const splitter = new MbapFrameSplitter();
      let waiting = 0;
      let answered = () => {};
      socket.on("data", (chunk: Buffer) => {
        waiting -= splitter.push(chunk).length;
        if (waiting === 0) answered();
      });
      return {
        cycle: () =>
          new Promise<number>((resolve) => {
            answered = () => resolve(0);
            waiting = frames.length;
            socket.write(bytes);
          }),
        close: async () => {
          socket.destroy();
        },
      };
    },
  };
}

/** Decodes each tag of a register cluster from the response bytes (big-endian, as the device maps them). */
function decodeClusterWords(buffer: Buffer, cluster: Cluster): number {
  let offset = 0;
  let decoded = 0;
  for (const tag of cluster.tags) {
    const type = tag.address.split(":")[2];
    const at = offset * 2;
    const value =
      type === "REAL"
        ? buffer.readFloatBE(at)
        : type === "DINT"
          ? buffer.readInt32BE(at)
          : type === "UDINT"
            ? buffer.readUInt32BE(at)
            : type === "INT"
              ? buffer.readInt16BE(at)
              : buffer.readUInt16BE(at);
    if (Number.isFinite(value)) decoded++;
    offset += tag.size;
  }
  return decoded;
}

function decodeClusterBits(bits: boolean[], cluster: Cluster): number {
  return cluster.tags.filter((_, i) => typeof bits[i] === "boolean").length;
}

interface Scenario {
  readonly device: string;
  readonly latencyMs: number;
  readonly serial: boolean;
  readonly clients: readonly Client[];
}

const SCENARIOS: readonly Scenario[] = [
  {
    device: "no added latency",
    latencyMs: 0,
    serial: false,
    clients: [oneRegister(), rawFrames(), fabrik(1), fabrik(16), modbusSerial(false), modbusSerial(true)],
  },
  {
    device: "5 ms latency, requests in flight",
    latencyMs: 5,
    serial: false,
    clients: [oneRegister(), rawFrames(), fabrik(1), fabrik(16), modbusSerial(false), modbusSerial(true)],
  },
  {
    device: "5 ms latency, one request at a time",
    latencyMs: 5,
    serial: true,
    clients: [fabrik(1), modbusSerial(false)],
  },
];

const MB = 1_000_000;

const benchmark: Benchmark = {
  name: "modbus",
  description: "1,000 tags of mixed types in 11 clusters per cycle, from the simulator's Modbus TCP server",
  needsKafka: false,
  async run({ log, quick }) {
    const cycles = quick ? 20 : 300;
    const warmup = quick ? 5 : 30;
    const rows: (string | number)[][] = [];
    for (const scenario of SCENARIOS) {
      const device = await startDevice(scenario.latencyMs, scenario.serial);
      try {
        for (const client of scenario.clients) {
          log(`${scenario.device}: ${client.name}`);
          const session = await client.open(device.port);
          for (let i = 0; i < warmup; i++) await session.cycle();
          const before = await device.requests();
          const times: number[] = [];
          let bad = 0;
          const cpu = process.cpuUsage();
          const started = performance.now();
          for (let i = 0; i < cycles; i++) {
            const t0 = performance.now();
            bad += await session.cycle();
            times.push(performance.now() - t0);
          }
          const seconds = (performance.now() - started) / 1000;
          const used = process.cpuUsage(cpu);
          const requests = (await device.requests()) - before;
          await session.close();
          times.sort((a, b) => a - b);
          rows.push([
            scenario.device,
            client.name,
            Number((requests / cycles).toFixed(2)),
            Number(percentile(times, 50).toFixed(2)),
            Number(percentile(times, 99).toFixed(2)),
            Math.round(((client.tagsPerCycle ?? 1000) * cycles) / seconds),
            Number(((used.user + used.system) / 1e6 / seconds).toFixed(2)),
            Math.round(process.memoryUsage().rss / MB),
            bad,
          ]);
        }
      } finally {
        await device.stop();
      }
    }
    return [
      {
        title: `Modbus TCP: 1,000 tags per cycle (${cycles} cycles after ${warmup} warm-up cycles)`,
        columns: [
          "device",
          "client",
          "requests/cycle",
          "p50 ms",
          "p99 ms",
          "tag values/s",
          "client CPU",
          "RSS MB",
          "bad tags",
        ],
        rows,
        notes: [
          "requests/cycle: counted by the device. The map has 11 clusters; one request per cluster is 11.",
          "one register: a single one-register request, nothing to decode: what one round trip costs on this machine.",
          "raw frames: the optimizer's 6 requests in one write, answers not decoded: the fastest any client can be.",
          "client CPU: cores used by the benchmark process (the device runs in its own process).",
          "bad tags: tag readings that were not OK over all measured cycles (must be 0).",
        ],
      },
    ];
  },
};

export default benchmark;
