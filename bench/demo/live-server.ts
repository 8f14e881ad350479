// The server behind parts 2 and 3 of bench/demo: a connect worker in this process running tags-500.yaml (20 simulated
// machines × 25 tags, every second) and the Fabrik server with the built UI, as src/demo/run.ts puts them together —
// without the simulator, the SQL engine and the demo plant, so the Overview shows exactly these 500 tags.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { connectorDocument, validateConnectorConfig } from "../../src/connect/config/index.ts";
import type { ConnectLog } from "../../src/connect/log.ts";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import { startConnectWorker } from "../../src/connect/worker/start.ts";
import type { UsedKafka } from "../../src/kafka/index.ts";
import { startFabrikServer } from "../../src/server/index.ts";

const CONNECTOR_FILE = new URL("./tags-500.yaml", import.meta.url).pathname;
/** Kept across runs: on a cluster of one's own (--bootstrap) a rerun reuses the group's topics instead of adding more. */
const GROUP = "bench-demo";
const STARTUP_TIMEOUT_MS = 30_000;
/** Warnings and errors kept for the tables' notes. */
const MAX_LOGGED = 10;

export class LiveServerError extends Error {
  readonly code = "BENCH_DEMO_LIVE_SERVER";
}

export interface LiveServer {
  readonly url: string;
  readonly tags: number;
  /** Tag values the connector has read so far (fabrik_source_values_total over every job). */
  valuesRead(): Promise<number>;
  /** Warnings and errors the connector and the server logged (the first few). */
  readonly problems: readonly string[];
  close(): Promise<void>;
}

export async function startLiveServer(kafka: UsedKafka, log: (line: string) => void): Promise<LiveServer> {
  const document = connectorDocument(await readFile(CONNECTOR_FILE, "utf8"), "yaml");
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new LiveServerError(`${CONNECTOR_FILE}: not a connector document`);
  }
  const config = document as Record<string, unknown>;
  const name = String(config.name);
  const problems: string[] = [];
  const note = (level: string) => (message: string) => {
    if (problems.length < MAX_LOGGED) problems.push(`${level} ${message}`);
    log(`${level.toLowerCase()}: ${message}`);
  };
  const connectLog: ConnectLog = { info: () => {}, warn: note("WARN"), error: note("ERROR") };
  const baseDir = await mkdtemp(join(tmpdir(), "fabrik-bench-demo-"));
  const metrics = new ConnectMetrics();
  const { worker, service } = await startConnectWorker({
    kafka: kafka.config,
    group: GROUP,
    workerId: "bench-demo",
    workerUrl: "http://127.0.0.1:9",
    metrics,
    log: connectLog,
    baseDir,
  });
  const closeWorker = async () => {
    await worker.close();
    await rm(baseDir, { recursive: true, force: true });
  };
  try {
    const parsed = validateConnectorConfig(config, { baseDir }).config;
    const tags = parsed.sources.reduce((n, s) => n + s.jobs.reduce((m, job) => m + job.tags.length, 0), 0);
    await service.putConfig(name, config, baseDir);
    const valuesRead = async () => sumCounter(await metrics.metricsText(), "fabrik_source_values_total");
    // Two rounds sampled before the server starts: the topics exist by then, so its reader finds them at once.
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while ((await valuesRead()) < 2 * tags) {
      if (Date.now() > deadline)
        throw new LiveServerError(`the connector did not read all tags twice within ${STARTUP_TIMEOUT_MS / 1000} s`);
      await delay(100);
    }
    const server = await startFabrikServer({
      kafka: kafka.config,
      connect: { service, metrics },
      port: 0,
      log: { warn: note("WARN"), error: note("ERROR") },
    });
    log(`live server: ${name}, ${parsed.sources.length} sources, ${tags} tags at ${server.url}`);
    return {
      url: server.url,
      tags,
      valuesRead,
      problems,
      close: async () => {
        await server.close();
        await closeWorker();
      },
    };
  } catch (error) {
    await closeWorker();
    throw error;
  }
}

/** The sum of a Prometheus counter over all its label sets, from the text exposition format. */
function sumCounter(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}
