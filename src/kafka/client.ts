// The one place Fabrik makes Kafka clients: producers, consumers and admin clients from one validated config object.
import { readFileSync } from "node:fs";
import {
  Admin,
  type AdminOptions,
  Consumer,
  type ConsumerOptions,
  type GroupOptions,
  ProduceAcks,
  Producer,
  type ProducerOptions,
} from "@platformatic/kafka";
import { KafkaError } from "./errors.ts";

export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

export interface TlsConfig {
  /** PEM certificates of the authorities that signed the brokers' certificates (default: the system's). */
  readonly ca?: string | Buffer;
  /** PEM client certificate and key, for brokers that require mutual TLS. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Off only for testing: accepts any broker certificate. */
  readonly rejectUnauthorized?: boolean;
  /** The name to check the broker certificate against, when it differs from the bootstrap host. */
  readonly servername?: string;
}

export interface KafkaConfig {
  /** `host:port` of one or more brokers. */
  readonly bootstrapServers: readonly string[];
  readonly clientId?: string;
  /** true: TLS with the system's authorities. */
  readonly tls?: boolean | TlsConfig;
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

type Common = "clientId" | "bootstrapBrokers";

/** Base options shared by every client made from `config`. */
function baseOptions(config: KafkaConfig, clientId: string | undefined) {
  validate(config);
  const tls = config.tls === true ? {} : config.tls || undefined;
  return {
    clientId: clientId ?? config.clientId ?? "fabrik",
    bootstrapBrokers: [...config.bootstrapServers],
    ...(tls ? { tls: { ...tls } } : {}),
    ...(config.sasl ? { sasl: { ...config.sasl } } : {}),
    ...(config.connectTimeoutMs ? { connectTimeout: config.connectTimeoutMs } : {}),
    ...(config.requestTimeoutMs ? { requestTimeout: config.requestTimeoutMs } : {}),
  };
}

/**
 * A producer that is idempotent with acks=all unless told otherwise: a record acknowledged once is on every in-sync
 * replica, and retries never duplicate it.
 */
export function createProducer<Key = Buffer, Value = Buffer, HeaderKey = Buffer, HeaderValue = Buffer>(
  config: KafkaConfig,
  options: Omit<ProducerOptions<Key, Value, HeaderKey, HeaderValue>, Common> & { clientId?: string } = {},
): Producer<Key, Value, HeaderKey, HeaderValue> {
  return new Producer<Key, Value, HeaderKey, HeaderValue>({
    idempotent: true,
    acks: ProduceAcks.ALL,
    ...options,
    ...baseOptions(config, options.clientId),
  });
}

/**
 * Bytes one fetch may return. The client decodes a whole fetch at once and keeps fetching while the application is
 * still working through the last one; with its larger default a consumer that falls behind holds about a gigabyte and
 * spends its time in garbage collection (measured: 2M records of 100 B, 117k records/s at 1.2 GB RSS; with 1 MiB,
 * 640k records/s at 280 MB — see docs/benchmarks.md).
 */
export const DEFAULT_FETCH_MAX_BYTES = 1024 * 1024;

export function createConsumer<Key = Buffer, Value = Buffer, HeaderKey = Buffer, HeaderValue = Buffer>(
  config: KafkaConfig,
  // The classic group protocol's options spelled out: Omit over the library's union of protocols would drop them.
  options: Omit<ConsumerOptions<Key, Value, HeaderKey, HeaderValue>, Common | keyof GroupOptions> &
    GroupOptions & { clientId?: string },
): Consumer<Key, Value, HeaderKey, HeaderValue> {
  return new Consumer<Key, Value, HeaderKey, HeaderValue>({
    maxBytes: DEFAULT_FETCH_MAX_BYTES,
    ...options,
    ...baseOptions(config, options.clientId),
  } as ConsumerOptions<Key, Value, HeaderKey, HeaderValue>);
}

export function createAdmin(
  config: KafkaConfig,
  options: Omit<AdminOptions, Common> & { clientId?: string } = {},
): Admin {
  return new Admin({ ...options, ...baseOptions(config, options.clientId) });
}

const MECHANISMS: readonly SaslMechanism[] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

/** Checks a config made in code; the same checks `kafkaConfigFromEnv` applies to the environment. */
export function validate(config: KafkaConfig, where = "kafka config"): void {
  if (config.bootstrapServers.length === 0) {
    throw configError(`${where}: bootstrapServers is empty; give at least one host:port.`);
  }
  for (const server of config.bootstrapServers) parseHostPort(server, `${where}: bootstrapServers`);
  if (config.sasl) {
    if (!MECHANISMS.includes(config.sasl.mechanism)) {
      throw configError(`${where}: sasl.mechanism '${config.sasl.mechanism}' is not one of ${MECHANISMS.join(", ")}.`);
    }
    if (!config.sasl.username) throw configError(`${where}: sasl.username is empty.`);
  }
}

/** Splits `host:port` (`[v6]:port` for IPv6), naming `where` in the error. */
export function parseHostPort(server: string, where: string): { host: string; port: number } {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(server.trim());
  const port = Number(match?.[2]);
  if (!match?.[1] || !(port > 0 && port < 65536)) {
    throw configError(`${where}: '${server}' is not host:port (e.g. 127.0.0.1:9092).`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ""), port };
}

/**
 * The cluster named by the environment, or undefined when KAFKA_BOOTSTRAP_SERVERS is unset.
 * KAFKA_SECURITY_PROTOCOL is PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL; SASL takes KAFKA_SASL_MECHANISM
 * (default SCRAM-SHA-512), KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD; TLS takes KAFKA_SSL_CA_LOCATION (a PEM file).
 */
export function kafkaConfigFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaConfig | undefined {
  const servers = env.KAFKA_BOOTSTRAP_SERVERS?.trim();
  if (!servers) return undefined;
  const bootstrapServers = servers
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  bootstrapServers.forEach((s) => {
    parseHostPort(s, "KAFKA_BOOTSTRAP_SERVERS");
  });
  const protocol = (env.KAFKA_SECURITY_PROTOCOL || "PLAINTEXT").toUpperCase();
  if (!["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"].includes(protocol)) {
    throw configError(`KAFKA_SECURITY_PROTOCOL: '${protocol}' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL.`);
  }
  let tls: KafkaConfig["tls"];
  if (protocol === "SSL" || protocol === "SASL_SSL") {
    const caFile = env.KAFKA_SSL_CA_LOCATION;
    tls = caFile ? { ca: readPem(caFile, "KAFKA_SSL_CA_LOCATION") } : true;
  }
  let sasl: KafkaConfig["sasl"];
  if (protocol.startsWith("SASL_")) {
    const mechanism = (env.KAFKA_SASL_MECHANISM || "SCRAM-SHA-512").toUpperCase() as SaslMechanism;
    if (!MECHANISMS.includes(mechanism)) {
      throw configError(`KAFKA_SASL_MECHANISM: '${mechanism}' is not one of ${MECHANISMS.join(", ")}.`);
    }
    if (!env.KAFKA_SASL_USERNAME) throw configError(`KAFKA_SASL_USERNAME is required with ${protocol}.`);
    sasl = { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD ?? "" };
  }
  return { bootstrapServers, ...(env.KAFKA_CLIENT_ID ? { clientId: env.KAFKA_CLIENT_ID } : {}), tls, sasl };
}

function readPem(file: string, where: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw configError(`${where}: cannot read '${file}': ${(error as Error).message}`);
  }
}

function configError(message: string): KafkaError {
  return new KafkaError("INVALID_KAFKA_CONFIG", message);
}
