// What a statement answered, shown as a plant engineer reads it: listings as tables, DESCRIBE as the columns with
// their types, command results as one line with their state. Every ksqlDB entity shape the server sends has a view.
import type { JSX } from "preact";
import type { SqlEntity, SqlField, SqlQueryInfo, SqlSourceDescription, SqlSourceInfo } from "../../api/sql-entities.ts";
import { schemaText } from "../../api/sql-entities.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { Badge, StatusPill } from "../../components/status-pill.tsx";

const TABLE_HEIGHT = "320px";

const SOURCE_COLUMNS: readonly Column<SqlSourceInfo>[] = [
  { id: "name", header: "Name", value: (s) => s.name, cell: (s) => <span class="mono">{s.name}</span> },
  { id: "topic", header: "Topic", value: (s) => s.topic, cell: (s) => <span class="mono">{s.topic}</span> },
  { id: "key", header: "Key format", value: (s) => s.keyFormat, width: "124px" },
  { id: "value", header: "Value format", value: (s) => s.valueFormat, width: "132px" },
  { id: "windowed", header: "Windowed", value: (s) => (s.isWindowed ? "yes" : ""), width: "110px" },
];

const QUERY_COLUMNS: readonly Column<SqlQueryInfo>[] = [
  { id: "id", header: "Query", value: (q) => q.id, cell: (q) => <span class="mono">{q.id}</span>, width: "26%" },
  { id: "type", header: "Type", value: (q) => q.queryType, width: "120px" },
  {
    id: "state",
    header: "State",
    value: (q) => q.state,
    cell: (q) => <StatusPill state={q.state} />,
    width: "130px",
  },
  { id: "sinks", header: "Writes", value: (q) => q.sinks.join(", "), width: "22%" },
  {
    id: "text",
    header: "Statement",
    value: (q) => q.queryString.replace(/\s+/g, " "),
    cell: (q) => <span class="mono">{q.queryString.replace(/\s+/g, " ")}</span>,
    sortable: false,
  },
];

type Topic = { name: string; replicaInfo: readonly number[] };
const TOPIC_COLUMNS: readonly Column<Topic>[] = [
  { id: "name", header: "Topic", value: (t) => t.name, cell: (t) => <span class="mono">{t.name}</span> },
  { id: "partitions", header: "Partitions", value: (t) => t.replicaInfo.length, numeric: true, width: "110px" },
  { id: "replicas", header: "Replicas", value: (t) => t.replicaInfo[0] ?? null, numeric: true, width: "110px" },
];

type Property = { name: string; scope: string; value: string };
const PROPERTY_COLUMNS: readonly Column<Property>[] = [
  { id: "name", header: "Property", value: (p) => p.name, cell: (p) => <span class="mono">{p.name}</span> },
  { id: "scope", header: "Scope", value: (p) => p.scope, width: "120px" },
  { id: "value", header: "Value", value: (p) => p.value, cell: (p) => <span class="mono">{p.value}</span> },
];

type FunctionName = { name: string; type: string; category: string };
const FUNCTION_COLUMNS: readonly Column<FunctionName>[] = [
  { id: "name", header: "Function", value: (f) => f.name, cell: (f) => <span class="mono">{f.name}</span> },
  { id: "type", header: "Type", value: (f) => f.type, width: "140px" },
  { id: "category", header: "Category", value: (f) => f.category },
];

const FIELD_COLUMNS: readonly Column<SqlField>[] = [
  { id: "name", header: "Column", value: (f) => f.name, cell: (f) => <span class="mono">{f.name}</span>, width: "30%" },
  {
    id: "type",
    header: "Type",
    value: (f) => schemaText(f.schema),
    cell: (f) => <span class="mono">{schemaText(f.schema)}</span>,
  },
  {
    id: "role",
    header: "",
    value: (f) => f.type ?? "",
    cell: (f) => (f.type === undefined ? null : <Badge tone="info">{f.type}</Badge>),
    width: "90px",
  },
];

function fieldKey(field: SqlField): string {
  return field.name;
}

function Fields({ fields }: { fields: readonly SqlField[] }): JSX.Element {
  return (
    <DataTable
      columns={FIELD_COLUMNS}
      rows={fields}
      rowKey={fieldKey}
      maxHeight={TABLE_HEIGHT}
      label="Columns"
      testId="sql-describe-fields"
    />
  );
}

function SourceDescription({ source }: { source: SqlSourceDescription }): JSX.Element {
  const queries = [...source.writeQueries, ...source.readQueries];
  return (
    <div class="sql-describe">
      <dl class="sql-facts">
        <dt>{source.type === "TABLE" ? "Table" : "Stream"}</dt>
        <dd class="mono">{source.name}</dd>
        <dt>Topic</dt>
        <dd class="mono">{source.topic}</dd>
        <dt>Formats</dt>
        <dd>
          key {source.keyFormat}, value {source.valueFormat}
        </dd>
        {source.windowType === null ? null : (
          <>
            <dt>Window</dt>
            <dd>{source.windowType}</dd>
          </>
        )}
        {source.partitions > 0 ? (
          <>
            <dt>Partitions</dt>
            <dd class="num">{source.partitions}</dd>
          </>
        ) : null}
      </dl>
      <Fields fields={source.fields} />
      {queries.length === 0 ? null : (
        <p class="small muted">
          Written by {source.writeQueries.map((q) => q.id).join(", ") || "—"}; read by{" "}
          {source.readQueries.map((q) => q.id).join(", ") || "—"}
        </p>
      )}
    </div>
  );
}

export function EntityView({ entity }: { entity: SqlEntity }): JSX.Element {
  switch (entity["@type"]) {
    case "currentStatus": {
      const status = entity.commandStatus;
      return (
        <p class="sql-status-line">
          <StatusPill state={status.status} tone={status.status === "SUCCESS" ? "good" : undefined} />
          <span>{status.message}</span>
          <span class="muted small mono">{entity.commandId}</span>
        </p>
      );
    }
    case "streams":
      return <SourceList sources={entity.streams} label="Streams" />;
    case "tables":
      return <SourceList sources={entity.tables} label="Tables" />;
    case "queries":
      return (
        <DataTable
          columns={QUERY_COLUMNS}
          rows={entity.queries}
          rowKey={(q) => q.id}
          maxHeight={TABLE_HEIGHT}
          label="Queries"
          empty="No queries run."
        />
      );
    case "kafka_topics":
      return (
        <DataTable
          columns={TOPIC_COLUMNS}
          rows={entity.topics}
          rowKey={(t) => t.name}
          maxHeight={TABLE_HEIGHT}
          label="Topics"
        />
      );
    case "properties":
      return (
        <DataTable
          columns={PROPERTY_COLUMNS}
          rows={entity.properties}
          rowKey={(p) => `${p.scope}/${p.name}`}
          maxHeight={TABLE_HEIGHT}
          label="Properties"
        />
      );
    case "function_names":
      return (
        <DataTable
          columns={FUNCTION_COLUMNS}
          rows={entity.functions}
          rowKey={(f) => f.name}
          maxHeight={TABLE_HEIGHT}
          label="Functions"
        />
      );
    case "describe_function":
      return (
        <div class="sql-describe">
          <p>
            <span class="mono">{entity.name}</span> <Badge>{entity.type}</Badge>{" "}
            <span class="muted">{entity.description}</span>
          </p>
          <ul class="sql-signatures">
            {entity.functions.map((f) => {
              const args = f.arguments.map((a) => `${a.name} ${a.type}`).join(", ");
              return (
                <li key={`${args}→${f.returnType}`}>
                  <span class="mono">
                    {entity.name}({args}) → {f.returnType}
                  </span>
                  {f.description === "" ? null : <span class="muted small"> — {f.description}</span>}
                </li>
              );
            })}
          </ul>
        </div>
      );
    case "sourceDescription":
      return <SourceDescription source={entity.sourceDescription} />;
    case "source_descriptions":
      return (
        <div class="stack">
          {entity.sourceDescriptions.map((source) => (
            <SourceDescription key={source.name} source={source} />
          ))}
        </div>
      );
    case "queryDescription": {
      const query = entity.queryDescription;
      return (
        <div class="sql-describe">
          <dl class="sql-facts">
            <dt>Query</dt>
            <dd class="mono">{query.id}</dd>
            <dt>State</dt>
            <dd>
              <StatusPill state={query.state} />
            </dd>
            <dt>Reads</dt>
            <dd class="mono">{query.sources.join(", ")}</dd>
            <dt>Writes</dt>
            <dd class="mono">{query.sinks.join(", ") || "—"}</dd>
          </dl>
          <pre class="sql-pre">{query.statementText}</pre>
          {query.fields.length === 0 ? null : <Fields fields={query.fields} />}
          {query.executionPlan === "" ? null : (
            <details>
              <summary>Execution plan</summary>
              <pre class="sql-pre">{query.executionPlan}</pre>
            </details>
          )}
        </div>
      );
    }
    default:
      return <pre class="sql-pre">{JSON.stringify(entity, null, 2)}</pre>;
  }
}

function SourceList({ sources, label }: { sources: readonly SqlSourceInfo[]; label: string }): JSX.Element {
  return (
    <DataTable
      columns={SOURCE_COLUMNS}
      rows={sources}
      rowKey={(s) => s.name}
      maxHeight={TABLE_HEIGHT}
      label={label}
      empty={`No ${label.toLowerCase()}.`}
    />
  );
}
