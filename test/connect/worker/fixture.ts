// What the worker tests share: a worker of a fresh group with its own buffer directory, stopped when the test ends.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { type RestServer, startRestServer } from "../../../src/connect/rest/server.ts";
import { type StartedWorker, startConnectWorker } from "../../../src/connect/worker/start.ts";
import type { KafkaConfig } from "../../../src/kafka/index.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { freePort } from "../../support/ports.ts";
import { silentLog } from "../source/fixture.ts";

export function uniqueGroup(): string {
  return uniqueTopic("group");
}

/**
 * A worker of `group`, with its REST API on a free loopback port, whose relative buffer directories land in a fresh
 * temporary directory.
 */
export async function startWorker(
  t: TestContext,
  kafka: KafkaConfig,
  group: string,
  workerId: string,
  options: { readonly sessionTimeoutMs?: number } = {},
): Promise<StartedWorker & { readonly rest: RestServer }> {
  const port = await freePort();
  const metrics = new ConnectMetrics();
  const baseDir = await mkdtemp(join(tmpdir(), `fabrik-worker-${workerId}-`));
  const started = await startConnectWorker({
    kafka,
    group,
    workerId,
    workerUrl: `http://127.0.0.1:${port}`,
    metrics,
    log: silentLog,
    baseDir,
    ...options,
  });
  const rest = await startRestServer({ service: started.service, metrics, port });
  t.after(async () => {
    await rest.close();
    await started.worker.close();
    await rm(baseDir, { recursive: true, force: true });
  });
  return { ...started, rest };
}
