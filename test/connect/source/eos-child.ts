// Child process of the exactly-once SIGKILL test: one source with exactly-once delivery, polling the simulator.
//   node eos-child.ts <modbus port> <bootstrap> <buffer dir> <topic> <offsets topic> <transactional id> <hold> <at>
// Prints `stored <sequence> <timestamp>` once an append holding that sample (the highest of its batch) resolved.
// <hold> "before-commit" or "after-commit" freezes the process at that point of its <at>-th transaction after printing
// `hold`, so the parent's SIGKILL lands there (records produced but not committed, or committed but not acknowledged
// in the buffer); "none" never holds. A line "finish" on stdin drains, stops, prints `finished` and exits.
import { tracingChannel } from "node:diagnostics_channel";
import { createInterface } from "node:readline";
import { validateConnectorConfig } from "../../../src/connect/config/index.ts";
import { decodeJson } from "../../../src/connect/records/index.ts";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { SourceRunner } from "../../../src/connect/source/source-runner.ts";
import { ConnectionManager, drivers, realSchedule } from "../../../src/plc/index.ts";
import { silentLog } from "./fixture.ts";

const [port, bootstrap, bufferDir, topic, offsetsTopic, transactionalId, hold, at] = process.argv.slice(2);
if (at === undefined || !["none", "before-commit", "after-commit"].includes(hold ?? "")) {
  throw new Error("usage: eos-child.ts <port> <bootstrap> <buffer dir> <topic> <offsets topic> <txn id> <hold> <at>");
}

/** Blocks the whole process (no event loop turn) until the parent's SIGKILL arrives. */
function freeze(): void {
  process.stdout.write("hold\n");
  const until = Date.now() + 30_000;
  while (Date.now() < until) {}
  throw new Error("the parent did not kill a held child");
}

let commits = 0;
// The client announces each transaction step on a diagnostics channel, synchronously: `start` of a commit runs after
// the batch was produced and acknowledged, `asyncStart` once the commit succeeded and before the caller hears of it.
tracingChannel<string, { operation?: string }>("plt:kafka:producer:transactions").subscribe({
  start(context) {
    if (context.operation === "commit" && ++commits === Number(at) && hold === "before-commit") freeze();
  },
  end() {},
  asyncStart(context) {
    if (context.operation === "commit" && commits === Number(at) && hold === "after-commit") freeze();
  },
  asyncEnd() {},
  error() {},
});

const manager = new ConnectionManager({ registry: drivers, backoff: { baseMs: 50, capMs: 200 } });
const { config } = validateConnectorConfig({
  name: "line",
  sources: {
    conveyor: {
      url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1&request-timeout=500`,
      jobs: [{ name: "status", interval: "20ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
    },
  },
  buffer: { dir: bufferDir },
});
const runner = await SourceRunner.start({
  connector: config.name,
  workerId: "eos-child",
  source: config.sources[0]!,
  delivery: config.delivery,
  manager,
  kafka: { bootstrapServers: [bootstrap!] },
  metrics: new ConnectMetrics(),
  log: silentLog,
  schedule: realSchedule,
  exactlyOnce: { transactionalId: transactionalId!, offsetsTopic: offsetsTopic! },
  onBuffered: (records) => {
    for (let i = records.length - 1; i >= 0; i--) {
      const value = decodeJson(records[i]!.value?.toString("utf8") ?? "null") as {
        tags: { sequence: number | null };
        timestamp: number;
      };
      if (value.tags.sequence === null) continue;
      process.stdout.write(`stored ${value.tags.sequence} ${value.timestamp}\n`);
      return;
    }
  },
});

for await (const line of createInterface({ input: process.stdin })) {
  if (line !== "finish") continue;
  await runner.stopSampling();
  await runner.drained();
  await runner.stop();
  await manager.close();
  process.stdout.write("finished\n");
  process.exit(0);
}
