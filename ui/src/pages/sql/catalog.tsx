// The SQL page's side panel: streams and tables (their columns on expand) and queries with their state, filtered by
// name; clicking a name puts it into the editor; a query can be terminated from here. Also the history of statements.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import type { SqlQueryInfo, SqlSourceInfo } from "../../api/sql-entities.ts";
import { schemaText } from "../../api/sql-entities.ts";
import { Button } from "../../components/button.tsx";
import { formatTimestamp } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";
import { SearchBox } from "../../components/search-box.tsx";
import { Segmented } from "../../components/segmented.tsx";
import { StatusPill } from "../../components/status-pill.tsx";
import { ConfirmButton } from "../connectors/confirm-button.tsx";
import type { CatalogModel } from "./catalog-model.ts";
import { clearHistory, sqlHistory } from "./history.ts";
import "./catalog.css";

export interface CatalogPanelProps {
  model: CatalogModel;
  onInsert: (text: string) => void;
  onTerminate: (query: SqlQueryInfo) => void;
}

function matches(filter: string, ...texts: string[]): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === "" || texts.some((t) => t.toLowerCase().includes(needle));
}

function SourceItem(props: { source: SqlSourceInfo; model: CatalogModel; onInsert: (text: string) => void }) {
  const { source, model } = props;
  const columns = model.columns.value.get(source.name);
  const open = columns !== undefined;
  return (
    <li class="catalog-item" data-testid="catalog-source" data-name={source.name}>
      <div class="catalog-row">
        <button
          type="button"
          class="catalog-toggle"
          aria-expanded={open}
          aria-label={open ? `Hide the columns of ${source.name}` : `Show the columns of ${source.name}`}
          onClick={() => (open ? model.forget(source.name) : void model.describe(source.name))}
        >
          <Icon name={open ? "chevronDown" : "chevronRight"} size={12} />
        </button>
        <button
          type="button"
          class="catalog-name mono"
          title={`Insert ${source.name} · topic ${source.topic}`}
          onClick={() => props.onInsert(source.name)}
        >
          {source.name}
        </button>
        {source.isWindowed ? <span class="catalog-tag">windowed</span> : null}
      </div>
      {columns === undefined ? null : columns.state === "loading" ? (
        <p class="catalog-columns muted small">Loading columns…</p>
      ) : columns.state === "failed" ? (
        <p class="catalog-columns small sql-error-text">{columns.message}</p>
      ) : (
        <ul class="catalog-columns">
          {columns.fields.map((field) => (
            <li key={field.name}>
              <button
                type="button"
                class="catalog-column"
                title={`Insert ${field.name}`}
                onClick={() => props.onInsert(field.name)}
              >
                <span class="mono">{field.name}</span>
                <span class="catalog-type mono">{schemaText(field.schema)}</span>
                {field.type === undefined ? null : <span class="catalog-tag">{field.type}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Section(props: { title: string; count: number; children: JSX.Element | JSX.Element[] | null }) {
  return (
    <section class="catalog-section">
      <h3 class="catalog-heading">
        {props.title} <span class="muted num">{props.count}</span>
      </h3>
      {props.children}
    </section>
  );
}

function CatalogTab(props: CatalogPanelProps): JSX.Element {
  const filter = useSignal("");
  const { model } = props;
  const catalog = model.catalog.value;
  const f = filter.value;
  const streams = catalog?.streams.filter((s) => matches(f, s.name, s.topic)) ?? [];
  const tables = catalog?.tables.filter((s) => matches(f, s.name, s.topic)) ?? [];
  const queries = catalog?.queries.filter((q) => matches(f, q.id, ...q.sinks)) ?? [];
  return (
    <div class="catalog" data-testid="sql-catalog">
      <div class="toolbar">
        <SearchBox value={f} onInput={(v) => (filter.value = v)} placeholder="Filter" label="Filter the catalog" />
        <Button
          small
          variant="ghost"
          icon="refresh"
          ariaLabel="Refresh the catalog"
          title="Refresh"
          disabled={model.loading.value}
          onClick={() => void model.refresh()}
        />
      </div>
      {model.error.value === null ? null : <p class="small sql-error-text">{model.error.value}</p>}
      {catalog === null ? (
        <p class="muted small">{model.loading.value ? "Loading…" : ""}</p>
      ) : (
        <div class="catalog-scroll">
          <Section title="Streams" count={streams.length}>
            <ul class="catalog-list">
              {streams.map((s) => (
                <SourceItem key={s.name} source={s} model={model} onInsert={props.onInsert} />
              ))}
            </ul>
          </Section>
          <Section title="Tables" count={tables.length}>
            <ul class="catalog-list">
              {tables.map((s) => (
                <SourceItem key={s.name} source={s} model={model} onInsert={props.onInsert} />
              ))}
            </ul>
          </Section>
          <Section title="Queries" count={queries.length}>
            <ul class="catalog-list">
              {queries.map((q) => (
                <li key={q.id} class="catalog-item catalog-query" data-testid="catalog-query" data-id={q.id}>
                  <div class="catalog-row">
                    <button
                      type="button"
                      class="catalog-name mono"
                      title={q.queryString}
                      onClick={() => props.onInsert(q.id)}
                    >
                      {q.id}
                    </button>
                    <StatusPill state={q.state} compact />
                  </div>
                  <div class="catalog-row catalog-query-actions">
                    <span class="muted small ellipsis">
                      {q.queryType === "PUSH" ? "push query" : `→ ${q.sinks.join(", ") || "—"}`}
                    </span>
                    <ConfirmButton
                      small
                      variant="ghost"
                      question={`Terminate ${q.id}?`}
                      confirmLabel="Terminate"
                      title="Terminate this query"
                      testId="catalog-terminate"
                      onConfirm={() => props.onTerminate(q)}
                    >
                      Terminate
                    </ConfirmButton>
                  </div>
                </li>
              ))}
            </ul>
          </Section>
        </div>
      )}
    </div>
  );
}

function HistoryTab(props: { onInsert: (text: string) => void }): JSX.Element {
  const entries = sqlHistory.value;
  return (
    <div class="catalog" data-testid="sql-history">
      <div class="toolbar">
        <span class="muted small">{entries.length} statements, newest first</span>
        <span class="spacer" />
        <Button small variant="ghost" disabled={entries.length === 0} onClick={clearHistory}>
          Clear
        </Button>
      </div>
      <ul class="catalog-scroll history-list">
        {entries.map((entry) => (
          <li key={`${entry.at}:${entry.text}`}>
            <button
              type="button"
              class="history-entry"
              title="Insert into the editor"
              onClick={() => props.onInsert(`${entry.text}\n`)}
            >
              <span class="history-meta small">
                <Icon name={entry.ok ? "good" : "bad"} size={12} label={entry.ok ? "ran" : "failed"} />
                <span class="muted num">{formatTimestamp(entry.at)}</span>
              </span>
              <span class="mono history-text">{entry.text}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

type Tab = "catalog" | "history";
const TABS = [
  { value: "catalog", label: "Catalog" },
  { value: "history", label: "History" },
] as const;

export function SidePanel(props: CatalogPanelProps): JSX.Element {
  const tab = useSignal<Tab>("catalog");
  return (
    <aside class="sql-side panel" aria-label="Catalog and history">
      <Segmented options={TABS} value={tab.value} onChange={(v) => (tab.value = v)} label="Side panel" />
      {tab.value === "catalog" ? <CatalogTab {...props} /> : <HistoryTab onInsert={props.onInsert} />}
    </aside>
  );
}
