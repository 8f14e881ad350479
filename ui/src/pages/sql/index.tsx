// The SQL page (/sql): a KSQL editor that runs scripts statement by statement, their results (push queries streaming),
// errors underlined where they are, the catalog to insert names from, and the history of what ran.
import { type Signal, useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { closeQuery, runStatements, type SqlProperties, sqlName } from "../../api/sql.ts";
import type { SqlQueryInfo } from "../../api/sql-entities.ts";
import { updateQuery, useQuery } from "../../app/router.ts";
import { Button } from "../../components/button.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { Segmented } from "../../components/segmented.tsx";
import { SidePanel } from "./catalog.tsx";
import { CatalogModel } from "./catalog-model.ts";
import type { SqlEditor } from "./editor.ts";
import { remember, savedScript, saveScript } from "./history.ts";
import { ResultList } from "./results.tsx";
import { ScriptRun } from "./script-run.ts";
import "./sql.css";

type OffsetReset = "latest" | "earliest";
const OFFSETS = [
  { value: "latest", label: "Latest", title: "Push queries show what arrives from now on (ksqlDB's default)" },
  { value: "earliest", label: "Earliest", title: "Push queries read their streams from the beginning" },
] as const;

const CAPS = [100, 1000, 10000] as const;
const OFFSET_PROPERTY = "auto.offset.reset";

/** Mounts the editor (CodeMirror loads with the page, not with the app) and hands it over once it is there. */
function EditorHost(props: {
  initial: string;
  editor: Signal<SqlEditor | null>;
  onRun: () => void;
  onSchemaWanted: () => void;
}): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const onRun = useRef(props.onRun);
  onRun.current = props.onRun;
  useEffect(() => {
    let editor: SqlEditor | undefined;
    let gone = false;
    void import("./editor.ts").then(({ createSqlEditor }) => {
      if (gone || host.current === null) return;
      editor = createSqlEditor({
        parent: host.current,
        doc: props.initial,
        onRun: () => onRun.current(),
        onChange: saveScript,
      });
      props.editor.value = editor;
      props.onSchemaWanted();
    });
    return () => {
      gone = true;
      editor?.destroy();
      props.editor.value = null;
    };
  }, []);
  return <div ref={host} class="sql-editor" data-testid="sql-editor" />;
}

export function SqlPage(): JSX.Element {
  const query = useQuery();
  // Where push queries start: the toolbar's choice (kept in the URL) or a SET in the script, whichever came last.
  const properties = useSignal<SqlProperties>({
    [OFFSET_PROPERTY]: query.get("offset") === "earliest" ? "earliest" : "latest",
  });
  const cap = useSignal<number>(1000);
  const editor = useSignal<SqlEditor | null>(null);
  const run = useSignal<ScriptRun | null>(null);
  const actionError = useSignal<unknown>(null);
  const catalog = useMemo(() => new CatalogModel(), []);
  const initial = useMemo(() => query.get("sql") ?? savedScript(), []);

  const pushSchema = () => editor.value?.setSchema(catalog.schema());
  useEffect(() => {
    void catalog.refresh().then(pushSchema);
    return () => run.value?.stopAll();
  }, []);
  // Completion follows what the catalog knows: names at once, a source's columns once it was opened.
  useEffect(pushSchema, [catalog.catalog.value, catalog.columns.value, editor.value]);

  const runScript = () => {
    const current = editor.value;
    if (current === null) return;
    run.value?.stopAll();
    current.clearErrors();
    const text = current.text();
    const range = current.selection() ?? { from: 0, to: text.length };
    const next = new ScriptRun(text, range, properties, cap.value, {
      onStatementDone: (statement, ok) => {
        remember(statement.text, ok);
        void catalog.refresh();
      },
    });
    run.value = next;
    void next.run().then(() => {
      const errors = next.results.value.flatMap((r) =>
        r.kind === "error" ? [{ from: r.range.from, to: r.range.to, message: r.error.detail }] : [],
      );
      if (run.value === next && errors.length > 0) editor.value?.showErrors(errors);
    });
  };

  // A push query is closed (it has no sink to leave behind); a persistent one is terminated.
  const terminate = (target: SqlQueryInfo) => {
    actionError.value = null;
    const done =
      target.queryType === "PUSH" ? closeQuery(target.id) : runStatements(`TERMINATE ${sqlName(target.id)};`);
    done
      .catch((error: unknown) => {
        actionError.value = error;
      })
      .finally(() => void catalog.refresh());
  };

  const current = run.value;
  const anyRunning =
    current?.results.value.some(
      (r) => r.kind === "query" && (r.query.value.state === "running" || r.query.value.state === "starting"),
    ) === true;
  const chosenOffset: OffsetReset = properties.value[OFFSET_PROPERTY] === "earliest" ? "earliest" : "latest";
  const otherProperties = Object.entries(properties.value).filter(([name]) => name !== OFFSET_PROPERTY);

  return (
    <div class="page sql-page" data-testid="sql-page">
      <div class="page-header">
        <h1 class="page-title">SQL</h1>
        <div class="toolbar sql-toolbar">
          <Button
            variant="primary"
            icon="play"
            onClick={runScript}
            disabled={editor.value === null}
            title="Run the script, or the selected part of it (Ctrl+Enter)"
            testId="sql-run"
          >
            Run
          </Button>
          {anyRunning ? (
            <Button variant="danger" icon="pause" onClick={() => current?.stopAll()} testId="sql-stop-all">
              Stop all
            </Button>
          ) : null}
          <span class="sql-hint muted small">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
          </span>
          <span class="spacer" />
          {otherProperties.map(([name, value]) => (
            <span key={name} class="sql-property mono small" title="Set by SET; sent with every statement">
              {name}={value}
            </span>
          ))}
          <span class="muted small">Read from</span>
          <Segmented
            options={OFFSETS}
            value={chosenOffset}
            onChange={(value) => {
              properties.value = { ...properties.value, [OFFSET_PROPERTY]: value };
              updateQuery({ offset: value === "earliest" ? "earliest" : null });
            }}
            label="Where push queries start reading"
            testId="sql-offset"
          />
          <label class="sql-cap">
            Keep
            <select
              value={cap.value}
              onChange={(event) => {
                cap.value = Number(event.currentTarget.value);
              }}
            >
              {CAPS.map((n) => (
                <option key={n} value={n}>
                  {n.toLocaleString("en")}
                </option>
              ))}
            </select>
            rows
          </label>
        </div>
      </div>
      {actionError.value === null ? null : (
        <ErrorBanner error={actionError.value} title="Terminate failed" onDismiss={() => (actionError.value = null)} />
      )}
      <div class="sql-layout">
        <div class="sql-main">
          <EditorHost initial={initial} editor={editor} onRun={runScript} onSchemaWanted={pushSchema} />
          <ResultList run={run} onJump={(at) => editor.value?.moveTo(at)} />
        </div>
        <SidePanel model={catalog} onInsert={(text) => editor.value?.insert(text)} onTerminate={terminate} />
      </div>
    </div>
  );
}
