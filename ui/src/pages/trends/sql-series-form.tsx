// "SQL column" as a series source: pick a stream or table of the SQL engine, one of its numeric columns and
// optionally a filter (MACHINE_ID = 'press'); the trend then follows that column through a push query.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { runStatements, type SqlEntity, sqlName } from "../../api/sql.ts";
import { Button } from "../../components/button.tsx";
import { messageOf } from "../../components/error-banner.tsx";

interface SourceColumns {
  key: string | undefined;
  numeric: string[];
}

const NUMERIC = /^(INTEGER|INT|BIGINT|DOUBLE|DECIMAL)/;

function sourceNames(entities: readonly SqlEntity[]): string[] {
  const names: string[] = [];
  for (const entity of entities) {
    if (entity["@type"] === "streams") for (const stream of entity.streams) names.push(stream.name);
    if (entity["@type"] === "tables") for (const table of entity.tables) names.push(table.name);
  }
  return names.filter((name) => !name.startsWith("KSQL_")).sort();
}

function columnsOf(entities: readonly SqlEntity[]): SourceColumns {
  for (const entity of entities) {
    if (entity["@type"] !== "sourceDescription") continue;
    const fields = entity.sourceDescription.fields;
    return {
      key: fields.find((field) => field.type === "KEY")?.name,
      numeric: fields.filter((field) => field.type === undefined && NUMERIC.test(field.schema.type)).map((f) => f.name),
    };
  }
  return { key: undefined, numeric: [] };
}

export function SqlSeriesForm({ onAdd }: { onAdd: (spec: string) => void }): JSX.Element {
  const [open, setOpen] = useState(false);
  const [sources, setSources] = useState<string[] | null>(null);
  const [source, setSource] = useState("");
  const [columns, setColumns] = useState<SourceColumns | null>(null);
  const [column, setColumn] = useState("");
  const [where, setWhere] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open || sources !== null) return;
    runStatements("SHOW STREAMS; SHOW TABLES;").then(
      (entities) => setSources(sourceNames(entities)),
      (failure) => setError(messageOf(failure)),
    );
  }, [open, sources]);

  useEffect(() => {
    setColumns(null);
    setColumn("");
    if (source === "") return;
    let current = true;
    runStatements(`DESCRIBE ${sqlName(source)};`).then(
      (entities) => {
        if (!current) return;
        const described = columnsOf(entities);
        setColumns(described);
        setColumn(described.numeric[0] ?? "");
      },
      (failure) => current && setError(messageOf(failure)),
    );
    return () => {
      current = false;
    };
  }, [source]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (source === "" || column === "") return;
    onAdd(where.trim() === "" ? `${source}.${column}` : `${source}.${column} WHERE ${where.trim()}`);
  };

  return (
    <details class="sql-series" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>SQL column</summary>
      <form class="sql-series-form" onSubmit={submit}>
        <p class="muted small">Follow a numeric column of a stream or table over time (by ROWTIME).</p>
        <label class="field">
          Stream or table
          <select value={source} onChange={(event) => setSource(event.currentTarget.value)} data-testid="sql-source">
            <option value="">{sources === null ? "Loading…" : "Choose…"}</option>
            {(sources ?? []).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          Column
          <select
            value={column}
            disabled={columns === null || columns.numeric.length === 0}
            onChange={(event) => setColumn(event.currentTarget.value)}
            data-testid="sql-column"
          >
            {columns !== null && columns.numeric.length === 0 ? <option value="">No numeric columns</option> : null}
            {(columns?.numeric ?? []).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          Only rows where (optional)
          <input
            type="text"
            class="mono"
            value={where}
            placeholder={columns?.key === undefined ? "CONDITION" : `${columns.key} = 'press'`}
            onInput={(event) => setWhere(event.currentTarget.value)}
            data-testid="sql-where"
          />
        </label>
        {error === null ? null : <p class="sql-series-error small">{error}</p>}
        <Button type="submit" icon="plus" disabled={source === "" || column === ""} testId="sql-add">
          Add series
        </Button>
      </form>
    </details>
  );
}
