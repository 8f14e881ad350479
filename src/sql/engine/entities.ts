// What the SQL engine answers, in the shapes of ksqlDB's REST API, and the service interface the REST layer calls.

/*
 * The engine produces these objects and the REST layer sends them as they are (JSON), so the field names are
 * ksqlDB's, camelCase and all, and a ksqlDB client reads them unchanged. Values in rows are JSON values already
 * (see ../api for the conversion rules).
 */

export interface CommandStatus {
  readonly status: "QUEUED" | "PARSING" | "EXECUTING" | "SUCCESS" | "ERROR" | "TERMINATED";
  readonly message: string;
  readonly queryId: string | null;
}

export interface Warning {
  readonly message: string;
}

interface EntityBase {
  readonly statementText: string;
  readonly warnings: readonly Warning[];
}

export interface SourceInfo {
  readonly type: "STREAM" | "TABLE";
  readonly name: string;
  readonly topic: string;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly isWindowed: boolean;
}

/** A column's type as ksqlDB's DESCRIBE writes it. */
export interface SchemaInfo {
  readonly type: string;
  readonly fields: readonly FieldInfo[] | null;
  readonly memberSchema: SchemaInfo | null;
}

export interface FieldInfo {
  readonly name: string;
  readonly schema: SchemaInfo;
  /** Present on key columns only. */
  readonly type?: "KEY" | "HEADER";
}

export interface RunningQuery {
  readonly queryString: string;
  readonly sinks: readonly string[];
  readonly sinkKafkaTopics: readonly string[];
  readonly id: string;
  readonly statusCount: Readonly<Record<string, number>>;
  readonly queryType: "PERSISTENT" | "PUSH";
  readonly state: string;
}

export interface SourceDescriptionInfo {
  readonly name: string;
  readonly windowType: string | null;
  readonly readQueries: readonly RunningQuery[];
  readonly writeQueries: readonly RunningQuery[];
  readonly fields: readonly FieldInfo[];
  readonly type: "STREAM" | "TABLE";
  readonly timestamp: string;
  readonly statistics: string;
  readonly errorStats: string;
  readonly extended: boolean;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly topic: string;
  readonly partitions: number;
  readonly replication: number;
  readonly statement: string;
  readonly queryOffsetSummaries: readonly unknown[];
  readonly sourceConstraints: readonly string[];
}

export interface FunctionArgumentInfo {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly isVariadic: boolean;
}

export type KsqlEntity =
  | (EntityBase & {
      readonly "@type": "currentStatus";
      readonly commandId: string;
      readonly commandStatus: CommandStatus;
      readonly commandSequenceNumber: number;
    })
  | (EntityBase & { readonly "@type": "streams"; readonly streams: readonly SourceInfo[] })
  | (EntityBase & { readonly "@type": "tables"; readonly tables: readonly SourceInfo[] })
  | (EntityBase & { readonly "@type": "queries"; readonly queries: readonly RunningQuery[] })
  | (EntityBase & {
      readonly "@type": "kafka_topics";
      readonly topics: readonly { readonly name: string; readonly replicaInfo: readonly number[] }[];
    })
  | (EntityBase & {
      readonly "@type": "properties";
      readonly properties: readonly { readonly name: string; readonly scope: string; readonly value: string }[];
      readonly overwrittenProperties: readonly string[];
      readonly defaultProperties: readonly string[];
    })
  | (EntityBase & {
      readonly "@type": "function_names";
      readonly functions: readonly { readonly name: string; readonly type: string; readonly category: string }[];
    })
  | (EntityBase & {
      readonly "@type": "describe_function";
      readonly name: string;
      readonly description: string;
      readonly author: string;
      readonly version: string;
      readonly path: string;
      readonly type: "SCALAR" | "AGGREGATE" | "TABLE";
      readonly functions: readonly {
        readonly arguments: readonly FunctionArgumentInfo[];
        readonly returnType: string;
        readonly description: string;
        readonly argumentTypes: readonly string[];
      }[];
    })
  | (EntityBase & { readonly "@type": "sourceDescription"; readonly sourceDescription: SourceDescriptionInfo })
  | (EntityBase & {
      readonly "@type": "source_descriptions";
      readonly sourceDescriptions: readonly SourceDescriptionInfo[];
    })
  | (EntityBase & {
      readonly "@type": "queryDescription";
      readonly queryDescription: {
        readonly id: string;
        readonly statementText: string;
        readonly windowType: string | null;
        readonly fields: readonly FieldInfo[];
        readonly sources: readonly string[];
        readonly sinks: readonly string[];
        readonly topology: string;
        readonly executionPlan: string;
        readonly overriddenProperties: Readonly<Record<string, unknown>>;
        readonly queryType: "PERSISTENT" | "PUSH";
        readonly state: string;
      };
    });

/**
 * An error as ksqlDB's REST API returns it. `error_code` is ksqlDB's: 40001 for a bad statement, 40000 for a bad
 * request, 40400 for a missing query, 50000 for a server error. `at` locates it when it comes from a statement.
 */
export interface KsqlErrorBody {
  readonly "@type": "statement_error" | "generic_error";
  readonly error_code: number;
  readonly message: string;
  readonly statementText?: string;
  readonly entities?: readonly KsqlEntity[];
}

/** Thrown by the service; the REST layer sends `body` with `status`. */
export class KsqlRequestError extends Error {
  readonly status: number;
  readonly body: KsqlErrorBody;

  constructor(status: number, body: KsqlErrorBody, cause?: unknown) {
    super(body.message, { cause });
    this.name = "KsqlRequestError";
    this.status = status;
    this.body = body;
  }
}

/** A column of a query's result: name and ksqlDB type text (`BIGINT`, `ARRAY<STRING>`, `STRUCT<A INTEGER>`). */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
  /** Key columns are marked in /query's schema text (`ID STRING KEY`). */
  readonly key: boolean;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A running push or pull query (or PRINT, whose rows are single strings), as the REST layer streams it. */
export interface QueryStream {
  readonly queryId: string;
  readonly kind: "push" | "pull" | "print";
  readonly columns: readonly ResultColumn[];
  /** Ends at LIMIT, at the end of a pull query, or on close(); throws KsqlRequestError if the query fails. */
  readonly rows: AsyncIterable<readonly JsonValue[]>;
  close(): void;
}

export interface ServerInfo {
  readonly version: string;
  readonly kafkaClusterId: string;
  readonly ksqlServiceId: string;
  readonly serverStatus: "RUNNING" | "ERROR";
}

/** What the REST API and in-process callers use; the engine implements it. */
export interface SqlService {
  /** Runs one or more statements; SET/UNSET in the text apply to the statements after them. */
  execute(text: string, properties?: Readonly<Record<string, unknown>>): Promise<KsqlEntity[]>;
  /** Starts a SELECT (push or pull) or PRINT. */
  query(text: string, properties?: Readonly<Record<string, unknown>>): Promise<QueryStream>;
  /** Stops a push query started by `query`; false when none has that id. */
  closeQuery(queryId: string): boolean;
  info(): ServerInfo;
  /** Whether the engine reaches Kafka and its command topic is read. */
  healthy(): Promise<{
    readonly isHealthy: boolean;
    readonly details: Readonly<Record<string, { isHealthy: boolean }>>;
  }>;
}
