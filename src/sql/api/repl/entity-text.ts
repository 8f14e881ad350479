// How `fabrik sql` prints each /ksql answer in TABULAR mode, laid out as ksqlDB's CLI lays it out.
import type {
  FieldInfo,
  KsqlEntity,
  RunningQuery,
  SchemaInfo,
  SourceDescriptionInfo,
  SourceInfo,
} from "../../engine/entities.ts";
import { listingTable } from "./text-table.ts";

type EntityOf<T extends KsqlEntity["@type"]> = Extract<KsqlEntity, { "@type": T }>;

/** `Label                : value`, the label column 20 wide as in ksqlDB's DESCRIBE and EXPLAIN. */
function labelled(label: string, value: string): string {
  return `${label.padEnd(20)} : ${value}`.trimEnd();
}

/** A column type as ksqlDB's CLI writes it from a schema: `VARCHAR(STRING)`, `ARRAY<INTEGER>`, `STRUCT<A BIGINT>`. */
export function schemaTypeText(schema: SchemaInfo): string {
  switch (schema.type) {
    case "STRING":
      return "VARCHAR(STRING)";
    case "ARRAY":
      return `ARRAY<${schema.memberSchema ? schemaTypeText(schema.memberSchema) : "?"}>`;
    case "MAP":
      return `MAP<STRING, ${schema.memberSchema ? schemaTypeText(schema.memberSchema) : "?"}>`;
    case "STRUCT":
      return `STRUCT<${(schema.fields ?? []).map((f) => `${f.name} ${schemaTypeText(f.schema)}`).join(", ")}>`;
    default:
      return schema.type;
  }
}

function fieldRows(fields: readonly FieldInfo[], sourceType: "STREAM" | "TABLE"): string[][] {
  const keyMark = sourceType === "TABLE" ? "(primary key)" : "(key)";
  return fields.map((f) => {
    const mark = f.type === "KEY" ? `  ${keyMark}` : f.type === "HEADER" ? "  (header)" : "";
    return [f.name, `${schemaTypeText(f.schema)}${mark}`];
  });
}

function sourceListing(sources: readonly SourceInfo[], kind: "Stream" | "Table"): string {
  const rows = [...sources]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => [s.name, s.topic, s.keyFormat, s.valueFormat, String(s.isWindowed)]);
  return listingTable([`${kind} Name`, "Kafka Topic", "Key Format", "Value Format", "Windowed"], rows);
}

function queryStatus(query: RunningQuery): string {
  const counts = Object.entries(query.statusCount).map(([state, count]) => `${state}:${count}`);
  return counts.length > 0 ? counts.join(",") : query.state;
}

function queryListing(queries: readonly RunningQuery[]): string {
  const rows = queries.map((q) => [
    q.id,
    q.queryType,
    queryStatus(q),
    q.sinks.join(", "),
    q.sinkKafkaTopics.join(", "),
    q.queryString.replace(/\s+/g, " "),
  ]);
  const table = listingTable(
    ["Query ID", "Query Type", "Status", "Sink Name", "Sink Kafka Topic", "Query String"],
    rows,
  );
  return `${table}\nFor detailed information on a Query run: EXPLAIN <Query ID>;`;
}

/** "Queries that read from this TABLE" and its lines, as DESCRIBE EXTENDED lists them. */
function queryLines(title: string, queries: readonly RunningQuery[]): string[] {
  return ["", title, "-".repeat(title.length), ...queries.map((q) => `${q.id} (${queryStatus(q)}) : ${q.queryString}`)];
}

function sourceDescription(source: SourceDescriptionInfo): string {
  const lines = [labelled("Name", source.name)];
  if (source.extended) {
    lines.push(
      labelled("Type", source.type),
      labelled("Timestamp field", source.timestamp || "Not set - using <ROWTIME>"),
      labelled("Key format", source.keyFormat),
      labelled("Value format", source.valueFormat),
      labelled("Kafka topic", `${source.topic} (partitions: ${source.partitions}, replication: ${source.replication})`),
      labelled("Statement", source.statement),
    );
    if (source.windowType) lines.push(labelled("Window type", source.windowType));
    lines.push("");
  }
  lines.push(listingTable(["Field", "Type"], fieldRows(source.fields, source.type)));
  if (!source.extended) {
    lines.push("For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;");
    return lines.join("\n");
  }
  lines.push(...queryLines(`Queries that read from this ${source.type}`, source.readQueries));
  lines.push(...queryLines(`Queries that write into this ${source.type}`, source.writeQueries));
  lines.push("", "For query topology and execution plan please run: EXPLAIN <QueryId>");
  if (source.statistics) lines.push("", "Runtime statistics", "------------------", source.statistics);
  if (source.errorStats) lines.push("", "Runtime errors", "--------------", source.errorStats);
  return lines.join("\n");
}

function describeFunction(entity: EntityOf<"describe_function">): string {
  const lines = [
    labelled("Name", entity.name),
    labelled("Author", entity.author),
    labelled("Version", entity.version),
    labelled("Overview", entity.description),
    labelled("Type", entity.type),
    labelled("Jar", entity.path),
    labelled("Variations", ""),
  ];
  for (const variation of entity.functions) {
    const args = variation.arguments.map((a) => `${a.name} ${a.type}${a.isVariadic ? "..." : ""}`).join(", ");
    lines.push("", `\t${labelled("Variation", `${entity.name}(${args})`)}`);
    lines.push(`\t${labelled("Returns", variation.returnType)}`);
    if (variation.description) lines.push(`\t${labelled("Description", variation.description)}`);
    for (const arg of variation.arguments) if (arg.description) lines.push(`\t${labelled(arg.name, arg.description)}`);
  }
  return lines.join("\n");
}

function queryDescription(entity: EntityOf<"queryDescription">): string {
  const query = entity.queryDescription;
  const section = (title: string, body: string[]) => ["", title, "-".repeat(title.length), ...body];
  const lines = [
    labelled("ID", query.id),
    labelled("Query Type", query.queryType),
    labelled("SQL", query.statementText),
    labelled("State", query.state),
    "",
    listingTable(["Field", "Type"], fieldRows(query.fields, "STREAM")),
    ...section("Sources that this query reads from:", [...query.sources]),
    "",
    "For source description please run: DESCRIBE [EXTENDED] <SourceId>",
    ...section("Sinks that this query writes to:", [...query.sinks]),
    "",
    "For sink description please run: DESCRIBE [EXTENDED] <SinkId>",
    ...section("Execution plan", [query.executionPlan]),
    ...section("Processing topology", [query.topology]),
  ];
  const overrides = Object.entries(query.overriddenProperties);
  if (overrides.length > 0) {
    lines.push("", "Overridden Properties", "---------------------");
    lines.push(
      listingTable(
        ["Property", "Value"],
        overrides.map(([name, value]) => [name, String(value)]),
      ),
    );
  }
  return lines.join("\n");
}

/** One answer of /ksql as ksqlDB's CLI prints it in TABULAR mode, warnings after it. */
export function entityText(entity: KsqlEntity): string {
  const warnings = entity.warnings.map((w) => `WARNING: ${w.message}`);
  return [body(entity), ...warnings].join("\n");
}

function body(entity: KsqlEntity): string {
  switch (entity["@type"]) {
    case "currentStatus":
      return listingTable(["Message"], [[entity.commandStatus.message]]);
    case "streams":
      return sourceListing(entity.streams, "Stream");
    case "tables":
      return sourceListing(entity.tables, "Table");
    case "queries":
      return queryListing(entity.queries);
    case "kafka_topics": {
      const rows = entity.topics.map((t) => [t.name, String(t.replicaInfo.length), replicas(t.replicaInfo)]);
      return listingTable(["Kafka Topic", "Partitions", "Partition Replicas"], rows);
    }
    case "properties": {
      const overwritten = new Set(entity.overwrittenProperties);
      const rows = [...entity.properties]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((p) => [p.name, p.scope, overwritten.has(p.name) ? "SESSION" : "SERVER", p.value]);
      return listingTable(["Property", "Scope", "Level", "Value"], rows);
    }
    case "function_names": {
      const rows = [...entity.functions].sort((a, b) => a.name.localeCompare(b.name)).map((f) => [f.name, f.category]);
      const table = listingTable(["Function Name", "Category"], rows);
      return `${table}\nFor detailed information on a function run: DESCRIBE FUNCTION <Function Name>;`;
    }
    case "describe_function":
      return describeFunction(entity);
    case "sourceDescription":
      return sourceDescription(entity.sourceDescription);
    case "source_descriptions":
      return entity.sourceDescriptions.map(sourceDescription).join("\n\n");
    case "queryDescription":
      return queryDescription(entity);
    default:
      // A server newer than this client may answer kinds it does not know: shown as they came.
      return JSON.stringify(entity, null, 2);
  }
}

/** Partition replica counts: one number when every partition has as many replicas, else each partition's. */
function replicas(replicaInfo: readonly number[]): string {
  return new Set(replicaInfo).size <= 1 ? String(replicaInfo[0] ?? 0) : replicaInfo.join(", ");
}
