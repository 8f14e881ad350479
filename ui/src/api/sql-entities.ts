// The answers of the SQL API (/api/sql/ksql, ksqlDB's entity shapes) as the UI reads them: only the fields it shows.

export interface SqlWarning {
  readonly message: string;
}

interface EntityBase {
  readonly statementText: string;
  readonly warnings: readonly SqlWarning[];
}

export interface SqlSourceInfo {
  readonly type: "STREAM" | "TABLE";
  readonly name: string;
  readonly topic: string;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly isWindowed: boolean;
}

/** A column's type as DESCRIBE writes it: nested for STRUCT (fields), ARRAY and MAP (memberSchema). */
export interface SqlSchema {
  readonly type: string;
  readonly fields: readonly SqlField[] | null;
  readonly memberSchema: SqlSchema | null;
}

export interface SqlField {
  readonly name: string;
  readonly schema: SqlSchema;
  /** Present on key and header columns only. */
  readonly type?: "KEY" | "HEADER";
}

export interface SqlQueryInfo {
  readonly queryString: string;
  readonly sinks: readonly string[];
  readonly sinkKafkaTopics: readonly string[];
  readonly id: string;
  readonly statusCount: Readonly<Record<string, number>>;
  readonly queryType: "PERSISTENT" | "PUSH";
  readonly state: string;
}

export interface SqlSourceDescription {
  readonly name: string;
  readonly type: "STREAM" | "TABLE";
  readonly windowType: string | null;
  readonly readQueries: readonly SqlQueryInfo[];
  readonly writeQueries: readonly SqlQueryInfo[];
  readonly fields: readonly SqlField[];
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly topic: string;
  readonly partitions: number;
  readonly replication: number;
  readonly statement: string;
  readonly extended: boolean;
  readonly statistics: string;
  readonly errorStats: string;
}

export interface SqlFunctionSignature {
  readonly arguments: readonly { readonly name: string; readonly type: string; readonly description: string }[];
  readonly returnType: string;
  readonly description: string;
}

export type SqlEntity =
  | (EntityBase & {
      readonly "@type": "currentStatus";
      readonly commandId: string;
      readonly commandStatus: { readonly status: string; readonly message: string; readonly queryId: string | null };
    })
  | (EntityBase & { readonly "@type": "streams"; readonly streams: readonly SqlSourceInfo[] })
  | (EntityBase & { readonly "@type": "tables"; readonly tables: readonly SqlSourceInfo[] })
  | (EntityBase & { readonly "@type": "queries"; readonly queries: readonly SqlQueryInfo[] })
  | (EntityBase & {
      readonly "@type": "kafka_topics";
      readonly topics: readonly { readonly name: string; readonly replicaInfo: readonly number[] }[];
    })
  | (EntityBase & {
      readonly "@type": "properties";
      readonly properties: readonly { readonly name: string; readonly scope: string; readonly value: string }[];
    })
  | (EntityBase & {
      readonly "@type": "function_names";
      readonly functions: readonly { readonly name: string; readonly type: string; readonly category: string }[];
    })
  | (EntityBase & {
      readonly "@type": "describe_function";
      readonly name: string;
      readonly description: string;
      readonly type: string;
      readonly functions: readonly SqlFunctionSignature[];
    })
  | (EntityBase & { readonly "@type": "sourceDescription"; readonly sourceDescription: SqlSourceDescription })
  | (EntityBase & {
      readonly "@type": "source_descriptions";
      readonly sourceDescriptions: readonly SqlSourceDescription[];
    })
  | (EntityBase & {
      readonly "@type": "queryDescription";
      readonly queryDescription: {
        readonly id: string;
        readonly statementText: string;
        readonly fields: readonly SqlField[];
        readonly sources: readonly string[];
        readonly sinks: readonly string[];
        readonly executionPlan: string;
        readonly queryType: "PERSISTENT" | "PUSH";
        readonly state: string;
      };
    });

/** A JSON value of a result row (BIGINT beyond 2^53 arrives as a string of digits). */
export type SqlValue = null | boolean | number | string | SqlValue[] | { [key: string]: SqlValue };

/** The first line of /query-stream: pull queries have no queryId (there is nothing to close). */
export interface QueryHeader {
  readonly queryId?: string;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

/** A type as DESCRIBE gives it, written as SQL: `ARRAY<STRUCT<A INTEGER>>`. */
export function schemaText(schema: SqlSchema): string {
  if (schema.type === "ARRAY" && schema.memberSchema !== null) return `ARRAY<${schemaText(schema.memberSchema)}>`;
  if (schema.type === "MAP" && schema.memberSchema !== null) return `MAP<STRING, ${schemaText(schema.memberSchema)}>`;
  if (schema.type === "STRUCT" && schema.fields !== null) {
    return `STRUCT<${schema.fields.map((f) => `${f.name} ${schemaText(f.schema)}`).join(", ")}>`;
  }
  return schema.type;
}
