// The properties statements run with: the server's (ksqlDB names), and a request's overrides and SETs on top.
import type { SourceDefaults, TopicInfo } from "../../analysis/catalog.ts";
import type { Span } from "../../language/ast.ts";
import type { SerdeFormat } from "../../serde/serde.ts";
import type { JsonValue, KsqlEntity } from "../entities.ts";
import type { OffsetReset } from "../fetcher.ts";
import { SqlStatementError } from "./errors.ts";

/** A request's overrides: the properties it sent, then its SET and UNSET statements in order. */
export type Overrides = Readonly<Record<string, JsonValue>>;

const FORMATS: readonly SerdeFormat[] = ["JSON", "KAFKA", "DELIMITED", "NONE"];

interface Known {
  /** The value when neither the server nor the request sets it; undefined: unset. */
  readonly fallback: string | undefined;
  /** Why `value` is not acceptable, or undefined when it is. */
  readonly check: (value: string) => string | undefined;
}

const oneOf =
  (...values: string[]) =>
  (value: string): string | undefined =>
    values.includes(value) ? undefined : `must be one of ${values.join(", ")}`;

/** The properties the engine acts on; any other name is kept and shown, as ksqlDB passes unknown ones to Kafka. */
const KNOWN: Readonly<Record<string, Known>> = {
  "auto.offset.reset": { fallback: "latest", check: oneOf("earliest", "latest") },
  "ksql.output.topic.name.prefix": {
    fallback: "",
    check: (v) => (/^[a-zA-Z0-9._-]*$/.test(v) ? undefined : "must be letters, digits, '.', '_' or '-'"),
  },
  "ksql.persistence.default.format.key": { fallback: "KAFKA", check: oneOf(...FORMATS) },
  "ksql.persistence.default.format.value": { fallback: "JSON", check: oneOf(...FORMATS) },
  "ksql.persistence.wrap.single.values": { fallback: undefined, check: oneOf("true", "false") },
  // Kafka Streams' record cache, as ksqlDB passes them on: how often a query commits (and sends the table updates it
  // coalesced meanwhile), and how many bytes of them it may hold; 0 sends every update at once.
  "commit.interval.ms": {
    fallback: "2000",
    check: (v) => (/^[1-9][0-9]*$/.test(v) ? undefined : "must be a number of milliseconds above 0"),
  },
  "cache.max.bytes.buffering": {
    fallback: "10485760",
    check: (v) => (/^(0|[1-9][0-9]*)$/.test(v) ? undefined : "must be a number of bytes, 0 to send every update"),
  },
  "ksql.sink.replicas": {
    fallback: "-1",
    check: (v) => (/^(-1|[1-9][0-9]*)$/.test(v) ? undefined : "must be a replica count, or -1 for the cluster's"),
  },
};

/** `ksql.streams.auto.offset.reset` and `auto.offset.reset` are one property, as in ksqlDB. */
function propertyName(name: string): string {
  const trimmed = name.trim();
  return trimmed.startsWith("ksql.streams.") ? trimmed.slice("ksql.streams.".length) : trimmed;
}

function text(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function checked(name: string, value: JsonValue, where?: { text: string; span: Span }): JsonValue {
  const known = KNOWN[name];
  const problem = known?.check(text(value).trim());
  if (problem !== undefined) {
    throw new SqlStatementError(
      "SQL_INVALID_PROPERTY_VALUE",
      `invalid value '${text(value)}' for property ${name}: ${problem}`,
      where,
    );
  }
  return typeof value === "string" ? value.trim() : value;
}

/** A request's properties, names normalised and known values checked. */
export function requestOverrides(properties: Readonly<Record<string, unknown>> | undefined): Overrides {
  const overrides: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(properties ?? {})) {
    if (value === undefined) continue;
    const json: JsonValue =
      value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? value
        : JSON.stringify(value);
    overrides[propertyName(name)] = checked(propertyName(name), json);
  }
  return overrides;
}

/** SET 'name'='value': the overrides for the statements after it. */
export function withSet(overrides: Overrides, name: string, value: string, where: { text: string; span: Span }) {
  const normalised = propertyName(name);
  return { ...overrides, [normalised]: checked(normalised, value, where) };
}

/** UNSET 'name'. */
export function withUnset(overrides: Overrides, name: string): Overrides {
  const { [propertyName(name)]: _removed, ...rest } = overrides;
  return rest;
}

/** The server's properties (SqlEngineOptions.properties) with the engine's defaults under them. */
export class EngineProperties {
  readonly serviceId: string;
  readonly #server: Readonly<Record<string, string>>;

  constructor(serviceId: string, server: Readonly<Record<string, string>> = {}) {
    this.serviceId = serviceId;
    const normalised: Record<string, string> = {};
    for (const [name, value] of Object.entries(server)) normalised[propertyName(name)] = text(checked(name, value));
    this.#server = normalised;
  }

  /** The value in force: the request's override, else the server's, else the default. */
  get(name: string, overrides: Overrides = {}): string | undefined {
    const override = overrides[name];
    if (override !== undefined && override !== null) return text(override);
    return this.#server[name] ?? KNOWN[name]?.fallback;
  }

  /** A number the server was configured with (task timings), or undefined. */
  number(name: string): number | undefined {
    const value = this.#server[propertyName(name)];
    const parsed = value === undefined ? Number.NaN : Number(value);
    return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
  }

  /** Where a new persistent or push query starts reading: ksqlDB's default is the end of its input. */
  offsetReset(overrides: Overrides): OffsetReset {
    return this.get("auto.offset.reset", overrides) === "earliest" ? "earliest" : "latest";
  }

  outputTopicPrefix(overrides: Overrides): string {
    return this.get("ksql.output.topic.name.prefix", overrides) ?? "";
  }

  /** What CREATE statements fall back on, with `topic` answering what Kafka (or the command) says of a topic. */
  sourceDefaults(overrides: Overrides, topic: (name: string) => TopicInfo | undefined): SourceDefaults {
    const wrap = this.get("ksql.persistence.wrap.single.values", overrides);
    return {
      keyFormat: this.get("ksql.persistence.default.format.key", overrides) as SerdeFormat,
      valueFormat: this.get("ksql.persistence.default.format.value", overrides) as SerdeFormat,
      ...(wrap === undefined ? {} : { wrapSingleValue: wrap === "true" }),
      replicas: Number(this.get("ksql.sink.replicas", overrides)),
      topic,
    };
  }

  /** SHOW PROPERTIES: every property in force, which of them the request overrides and which are defaults. */
  entity(statementText: string, overrides: Overrides): KsqlEntity {
    const names = new Set([
      "ksql.service.id",
      ...Object.keys(KNOWN),
      ...Object.keys(this.#server),
      ...Object.keys(overrides),
    ]);
    const properties = [...names].sort().flatMap((name) => {
      const value = name === "ksql.service.id" ? this.serviceId : this.get(name, overrides);
      return value === undefined ? [] : [{ name, scope: "KSQL", value }];
    });
    return {
      "@type": "properties",
      statementText,
      warnings: [],
      properties,
      overwrittenProperties: Object.keys(overrides).sort(),
      defaultProperties: Object.keys(KNOWN)
        .filter((name) => overrides[name] === undefined && this.#server[name] === undefined)
        .sort(),
    };
  }
}
