// The catalog's data model: the streams, tables and persistent queries an engine knows, as the analyzer sees them.

import type { SerdeFormat } from "../serde/serde.ts";
import type { SqlType } from "../types/types.ts";

export type SourceKind = "STREAM" | "TABLE";

/**
 * Where a column lives in a Kafka record. KEY is KEY in a stream and PRIMARY KEY in a table; HEADERS is the whole
 * header list (ARRAY<STRUCT<KEY STRING, VALUE BYTES>>), HEADER the bytes of the one header named `headerKey`.
 */
export type ColumnRole = "KEY" | "VALUE" | "HEADERS" | "HEADER";

export interface CatalogColumn {
  /** As KSQL normalised it: upper-cased unless back-quoted. */
  readonly name: string;
  readonly type: SqlType;
  readonly role: ColumnRole;
  readonly headerKey?: string;
}

/** A windowed key (the sink of a windowed aggregation): the window kind decides the key's wire format. */
export interface WindowInfo {
  readonly kind: "TUMBLING" | "HOPPING" | "SESSION";
  /** Window size in milliseconds; absent for SESSION. */
  readonly sizeMs?: number;
}

export interface SourceDescription {
  readonly name: string;
  readonly kind: SourceKind;
  /**
   * Key columns first, then value columns, then header columns, each group in declaration order: the row layout every
   * operator reading this source uses (see ../expressions/scope.ts).
   */
  readonly columns: readonly CatalogColumn[];
  readonly topic: string;
  readonly keyFormat: SerdeFormat;
  readonly valueFormat: SerdeFormat;
  readonly keyDelimiter?: string;
  readonly valueDelimiter?: string;
  /** WRAP_SINGLE_VALUE; absent means the format's default (true for a one-column JSON value). */
  readonly wrapSingleValue?: boolean;
  /** TIMESTAMP (and TIMESTAMP_FORMAT for STRING columns): the event time; absent means the Kafka record timestamp. */
  readonly timestamp?: { readonly column: string; readonly format?: string };
  readonly window?: WindowInfo;
  readonly partitions: number;
  readonly replicas: number;
  /** CREATE SOURCE STREAM|TABLE: no INSERT, no DROP … DELETE TOPIC. */
  readonly readOnly: boolean;
  /** The statement that made it, as written. */
  readonly sql: string;
}

export type QueryState = "RUNNING" | "ERROR" | "PENDING_SHUTDOWN";

export interface QueryDescription {
  /** CSAS_NAME_n, CTAS_NAME_n or INSERTQUERY_n, as ksqlDB names them. */
  readonly id: string;
  readonly sql: string;
  /** The stream or table it writes. */
  readonly sink: string;
  /** The streams and tables it reads. */
  readonly sources: readonly string[];
}

/** What the analyzer reads of the catalog; the engine owns the mutable one. */
export interface CatalogView {
  source(name: string): SourceDescription | undefined;
  sources(): readonly SourceDescription[];
  queries(): readonly QueryDescription[];
}

/** What Kafka says of a topic. */
export interface TopicInfo {
  readonly partitions: number;
  readonly replicas: number;
}

/**
 * What CREATE statements fall back on, from the engine's configuration (ksqlDB's `ksql.persistence.*` properties)
 * and from Kafka. The analyzer stays pure: the engine looks the topics up before it asks.
 */
export interface SourceDefaults {
  /** ksql.persistence.default.format.key: KAFKA unless configured. */
  readonly keyFormat: SerdeFormat;
  /** ksql.persistence.default.format.value: JSON in Fabrik (ksqlDB has none and requires VALUE_FORMAT). */
  readonly valueFormat: SerdeFormat;
  /** ksql.persistence.wrap.single.values; absent: the format's default (wrapped, for JSON). */
  readonly wrapSingleValue?: boolean;
  /** REPLICAS of a topic the engine creates when the statement gives none. */
  readonly replicas: number;
  /** The topic's partition and replica counts, or undefined when it does not exist. */
  topic(name: string): TopicInfo | undefined;
}
