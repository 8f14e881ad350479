// Kafka Connect's own keys, which PLC4X configs carry along: accepted and ignored, each with the reason Fabrik gives.

/** Why a group of keys is ignored; the CLI prints these as "ignored: ...". */
export const IGNORED_BECAUSE = {
  worker: "Kafka Connect worker settings: Fabrik takes its broker and storage from its own options",
  converter: "converters: Fabrik writes JSON records in PLC4X's layout, see docs/connect.md",
  errors: "Kafka Connect error handling: Fabrik's sinks retry and dead-letter on their own",
  framework: "Kafka Connect framework settings with no Fabrik equivalent",
} as const;

export type IgnoredKind = keyof typeof IGNORED_BECAUSE;

const CONVERTER_PREFIXES = ["key.converter", "value.converter", "header.converter", "internal.key.converter"];
const CONVERTER_EXACT = ["internal.value.converter"];

/** Worker properties (connect-standalone.properties / connect-distributed.properties) and client settings. */
const WORKER_PREFIXES = [
  "offset.",
  "config.storage.",
  "status.storage.",
  "rest.",
  "listeners",
  "admin.listeners",
  "plugin.",
  "producer.",
  "consumer.",
  "admin.",
  "ssl.",
  "sasl.",
  "metric",
  "config.providers",
  "access.control.",
  "worker.",
  "reconnect.backoff.",
];
const WORKER_EXACT = [
  "bootstrap.servers",
  "group.id",
  "client.id",
  "security.protocol",
  "enable.idempotence",
  "acks",
  "compression.type",
  "linger.ms",
  "batch.size",
  "auto.include.jmx.reporter",
  "connector.client.config.override.policy",
  "connections.max.idle.ms",
  "exactly.once.source.support",
  "heartbeat.interval.ms",
  "inter.worker.key.generation.algorithm",
  "metadata.max.age.ms",
  "rebalance.timeout.ms",
  "receive.buffer.bytes",
  "request.timeout.ms",
  "response.http.headers.config",
  "retry.backoff.ms",
  "scheduled.rebalance.max.delay.ms",
  "send.buffer.bytes",
  "session.timeout.ms",
  "task.shutdown.graceful.timeout.ms",
  "topic.creation.enable",
];

/** Connector-level settings that Kafka Connect itself acts on (transforms, topic creation, overrides). */
const FRAMEWORK_PREFIXES = [
  "transforms",
  "predicates",
  "topic.creation.",
  "transaction.boundary",
  "producer.override.",
  "consumer.override.",
  "admin.override.",
];
const FRAMEWORK_EXACT = ["config.action.reload", "exactly.once.support", "offsets.storage.topic", "topics.regex"];

/**
 * The kind of Kafka Connect key `key` is, or undefined when it is not one. `errors.deadletterqueue.topic.name` is not
 * ignored (it names the sinks' dead letter topic), so it is not one of them.
 */
export function connectKeyKind(key: string): IgnoredKind | undefined {
  const matches = (exact: readonly string[], prefixes: readonly string[]) =>
    exact.includes(key) || prefixes.some((prefix) => key === prefix || key.startsWith(prefix));
  if (key === DEAD_LETTER_KEY) return undefined;
  if (key.startsWith("errors.")) return "errors";
  if (matches(CONVERTER_EXACT, CONVERTER_PREFIXES)) return "converter";
  if (matches(FRAMEWORK_EXACT, FRAMEWORK_PREFIXES)) return "framework";
  if (matches(WORKER_EXACT, WORKER_PREFIXES)) return "worker";
  return undefined;
}

/** Kafka Connect's dead letter queue of a sink connector; Fabrik uses it as every sink's `deadLetterTopic`. */
export const DEAD_LETTER_KEY = "errors.deadletterqueue.topic.name";
