// Builds a connect worker from its parts: the group's topics, its place in the group, and the REST-facing service.
import type { KafkaConfig } from "../../kafka/index.ts";
import { ConnectionManager, type DriverRegistry, drivers, type Schedule } from "../../plc/index.ts";
import type { ConnectLog } from "../log.ts";
import type { ConnectMetrics } from "../rest/metrics.ts";
import { ensureGroupTopics, groupTopics } from "./group-topics.ts";
import { Membership } from "./membership.ts";
import { TopicStore } from "./topic-store.ts";
import { ConnectWorker } from "./worker.ts";
import { WorkerService } from "./worker-service.ts";

export interface ConnectWorkerOptions {
  readonly kafka: KafkaConfig;
  /** Workers with the same group share its connectors. */
  readonly group: string;
  readonly workerId: string;
  /** This worker's REST address, as the other workers of the group can reach it. */
  readonly workerUrl: string;
  readonly metrics: ConnectMetrics;
  readonly log: ConnectLog;
  /** A worker that stops heartbeating loses its tasks to the others after this long (default 10 s, Connect's). */
  readonly sessionTimeoutMs?: number;
  readonly registry?: DriverRegistry;
  readonly baseDir?: string;
  readonly schedule?: Schedule;
  /** `Authorization` header value for asking other workers of the group. */
  readonly forwardAuthorization?: string;
}

export interface StartedWorker {
  readonly worker: ConnectWorker;
  readonly service: WorkerService;
}

const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/** Creates the group's topics if needed, reads them, joins the group; tasks start as slots are assigned. */
export async function startConnectWorker(options: ConnectWorkerOptions): Promise<StartedWorker> {
  const topics = groupTopics(options.group);
  await ensureGroupTopics(options.kafka, topics);
  const clientId = `fabrik-connect-${options.workerId.replace(/[^A-Za-z0-9._-]/g, "_")}`;
  const configs = await TopicStore.open(options.kafka, topics.configs, clientId);
  const status = await TopicStore.open(options.kafka, topics.status, clientId).catch(async (error) => {
    await configs.close();
    throw error;
  });
  const registry = options.registry ?? drivers;
  let worker: ConnectWorker | undefined;
  const membership = new Membership({
    kafka: options.kafka,
    group: options.group,
    slotsTopic: topics.slots,
    workerId: options.workerId,
    sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
    weights: () => worker?.slotWeights() ?? new Map(),
  });
  membership.on("error", (error) => options.log.warn(`connect group ${options.group}: ${error.message}`));
  worker = new ConnectWorker({
    kafka: options.kafka,
    group: options.group,
    workerId: options.workerId,
    workerUrl: options.workerUrl,
    topics,
    configs,
    status,
    membership,
    manager: new ConnectionManager({ registry, ...(options.schedule ? { schedule: options.schedule } : {}) }),
    registry,
    metrics: options.metrics,
    log: options.log,
    baseDir: options.baseDir ?? process.cwd(),
    ...(options.schedule ? { schedule: options.schedule } : {}),
  });
  try {
    await membership.join();
  } catch (error) {
    await worker.close();
    throw error;
  }
  const service = new WorkerService(worker, {
    ...(options.forwardAuthorization ? { forwardAuthorization: options.forwardAuthorization } : {}),
  });
  return { worker, service };
}
