// The results of a run, one block per statement: what a statement answered, a query's rows streaming into a table
// with a counter and a Stop button, and an error with the line and column it points at in the editor.
import type { Signal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo, useRef } from "preact/hooks";
import type { QueryHeader, SqlValue } from "../../api/sql.ts";
import { Button } from "../../components/button.tsx";
import { type CellValue, type Column, DataTable } from "../../components/data-table.tsx";
import { formatCount, formatDuration, formatTimestamp } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";
import { StatusPill } from "../../components/status-pill.tsx";
import { EntityView } from "./entity-view.tsx";
import type { QueryResult, ResultRow, RunResult, ScriptRun } from "./script-run.ts";

const NUMERIC_TYPE = /^(INTEGER|INT|BIGINT|DOUBLE|DECIMAL)/;
/** BIGINT columns that hold a time in ms: shown as a time, the number on hover. */
const TIME_COLUMNS = new Set(["WINDOWSTART", "WINDOWEND", "ROWTIME", "TS", "ACKED_AT", "WINDOW_START"]);

function cellValue(value: SqlValue | undefined): CellValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

function resultColumns(header: QueryHeader): Column<ResultRow>[] {
  return header.columnNames.map((name, index) => {
    const type = header.columnTypes[index] ?? "";
    const numeric = NUMERIC_TYPE.test(type);
    const time = type === "BIGINT" && TIME_COLUMNS.has(name);
    const value = (row: ResultRow) => cellValue(row.values[index]);
    return {
      id: String(index),
      header: name,
      headerTitle: `${name} ${type}`,
      value,
      numeric,
      cell: time
        ? (row: ResultRow) => {
            const v = row.values[index];
            return typeof v === "number" ? formatTimestamp(v, true) : String(v ?? "");
          }
        : (row: ResultRow) => {
            const v = value(row);
            return v === null ? <span class="sql-null">NULL</span> : String(v);
          },
    };
  });
}

function rowKey(row: ResultRow): number {
  return row.seq;
}

const KIND_LABEL = { push: "Push query", pull: "Pull query", print: "PRINT" } as const;

function QueryView({ result }: { result: Extract<RunResult, { kind: "query" }> }): JSX.Element {
  const query: QueryResult = result.query.value;
  const columns = useMemo(() => (query.header === undefined ? [] : resultColumns(query.header)), [query.header]);
  const kind = result.statement.kind as keyof typeof KIND_LABEL;
  const running = query.state === "running" || query.state === "starting";
  const capped = query.total > query.rows.length;
  return (
    <div class="sql-query" data-testid="sql-query-result" data-state={query.state}>
      <div class="toolbar sql-query-bar">
        <span class="sql-kind">{KIND_LABEL[kind] ?? "Query"}</span>
        <StatusPill state={running ? "running" : query.state} label={running ? "streaming" : query.state} />
        <span class="num" data-testid="sql-row-count" data-rows={query.total}>
          {formatCount(query.total)} {query.total === 1 ? "row" : "rows"}
        </span>
        {capped ? (
          <span class="muted small">
            showing the {kind === "pull" ? "first" : "newest"} {formatCount(query.rows.length)}
          </span>
        ) : null}
        {query.endedAt === undefined ? null : (
          <span class="muted small">in {formatDuration(query.endedAt - query.startedAt)}</span>
        )}
        <span class="spacer" />
        {running ? (
          <Button small variant="danger" icon="pause" onClick={result.stop} testId="sql-stop">
            Stop
          </Button>
        ) : null}
      </div>
      {query.error === undefined ? null : (
        <p class="sql-error-text" role="alert">
          <Icon name="bad" size={14} /> {query.error.message}
        </p>
      )}
      <DataTable
        columns={columns}
        rows={query.rows}
        rowKey={rowKey}
        maxHeight="360px"
        label="Query result"
        testId="sql-rows"
        empty={running ? "Waiting for rows…" : "No rows."}
      />
    </div>
  );
}

function ErrorView(props: {
  result: Extract<RunResult, { kind: "error" }>;
  onJump: (offset: number) => void;
}): JSX.Element {
  const { error, at, range } = props.result;
  const element = useRef<HTMLDivElement>(null);
  // A failure ends the run: bring it into view below the results before it.
  useEffect(() => element.current?.scrollIntoView({ block: "nearest" }), []);
  return (
    <div ref={element} class="sql-error" role="alert" data-testid="sql-error">
      <Icon name="bad" size={16} />
      <div class="sql-error-body">
        <p>
          {at === undefined ? null : (
            <button
              type="button"
              class="sql-error-at"
              data-testid="sql-error-position"
              title="Show it in the editor"
              onClick={() => props.onJump(range.from)}
            >
              Line {at.line}, column {at.column}
            </button>
          )}
          <span data-testid="sql-error-message">{error.detail}</span>
        </p>
        {error.code === "SQL_STATEMENT" || error.code === "SQL_REQUEST" ? null : (
          <p class="muted small">{error.code === "SQL_UNREACHABLE" ? "The SQL API did not answer." : error.code}</p>
        )}
      </div>
    </div>
  );
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("--")) ?? text;
  return line.trim();
}

function ResultBlock(props: { result: RunResult; onJump: (offset: number) => void }): JSX.Element {
  const { result } = props;
  let body: JSX.Element;
  switch (result.kind) {
    case "entities":
      body =
        result.entities.length === 0 ? (
          <p class="sql-status-line">
            <StatusPill state="done" tone="good" icon="good" />
            <span>{/^\s*INSERT/i.test(result.statement.text) ? "Row inserted." : "Done."}</span>
          </p>
        ) : (
          <div class="stack">
            {result.entities.map((entity, index) => (
              <div key={index}>
                <EntityView entity={entity} />
                {entity.warnings.map((w) => (
                  <p key={w.message} class="sql-warning">
                    <Icon name="warn" size={14} /> {w.message}
                  </p>
                ))}
              </div>
            ))}
          </div>
        );
      break;
    case "error":
      body = <ErrorView result={result} onJump={props.onJump} />;
      break;
    case "query":
      body = <QueryView result={result} />;
      break;
    case "property":
      body = (
        <p class="sql-status-line">
          <StatusPill state="set" tone="info" icon="info" />
          <span class="mono">
            {result.value === undefined ? `${result.name} unset` : `${result.name} = ${result.value}`}
          </span>
          <span class="muted small">for the statements and queries that follow</span>
        </p>
      );
      break;
  }
  return (
    <article class={`sql-result sql-result-${result.kind}`}>
      <header class="sql-result-head">
        <button
          type="button"
          class="sql-result-statement mono"
          title={result.statement.text}
          onClick={() => props.onJump(result.statement.from)}
        >
          {firstLine(result.statement.text)}
        </button>
        {result.kind === "entities" ? <span class="muted small num">{formatDuration(result.ms)}</span> : null}
      </header>
      {body}
    </article>
  );
}

export function ResultList(props: { run: Signal<ScriptRun | null>; onJump: (offset: number) => void }): JSX.Element {
  const run = props.run.value;
  if (run === null) {
    return (
      <div class="sql-results-empty muted">
        Results show here. Run statements with <kbd>Ctrl</kbd>+<kbd>Enter</kbd>; a push query streams until you stop it.
      </div>
    );
  }
  const results = run.results.value;
  return (
    <div class="sql-results" data-testid="sql-results">
      {results.map((result) => (
        <ResultBlock key={result.id} result={result} onJump={props.onJump} />
      ))}
      {run.running.value && results.length === 0 ? <p class="muted">Running…</p> : null}
      {run.skipped.value > 0 ? (
        <p class="muted small">
          {run.skipped.value} later {run.skipped.value === 1 ? "statement was" : "statements were"} not run.
        </p>
      ) : null}
    </div>
  );
}
