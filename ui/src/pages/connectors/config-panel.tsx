// A connector's configuration: shown as YAML or JSON, and edited in place — checked by Connect's validate endpoint
// before anything is saved, every problem listed and underlined at its key in the text.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import {
  type ConfigProblem,
  ConnectConfigError,
  type ConnectorConfig,
  putConfig,
  validateConfig,
} from "../../api/connect.ts";
import { Button } from "../../components/button.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { Icon } from "../../components/icon.tsx";
import { Segmented } from "../../components/segmented.tsx";
import type { ConfigEditor } from "./config-editor.ts";
import { type ConfigSyntax, configText, locatePath, parseConfigText, type TextRange } from "./config-text.ts";

const SYNTAXES = [
  { value: "yaml", label: "YAML" },
  { value: "json", label: "JSON" },
] as const;

interface ShownProblem {
  readonly path: string;
  readonly message: string;
  readonly range: TextRange | undefined;
}

type Phase =
  | { readonly kind: "idle" }
  | { readonly kind: "busy"; readonly what: "Validating" | "Saving" }
  | { readonly kind: "valid" }
  | { readonly kind: "invalid" }
  | { readonly kind: "saved" }
  | { readonly kind: "failed"; readonly error: unknown };

function EditorHost(props: { doc: string; editor: { current: ConfigEditor | null }; onChange: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let gone = false;
    void import("./config-editor.ts").then(({ createConfigEditor }) => {
      if (gone || host.current === null) return;
      props.editor.current = createConfigEditor(host.current, props.doc, props.onChange);
    });
    return () => {
      gone = true;
      props.editor.current?.destroy();
      props.editor.current = null;
    };
  }, []);
  return <div ref={host} class="config-editor" data-testid="config-editor" />;
}

export function ConfigPanel(props: { name: string; config: ConnectorConfig; onSaved: () => void }): JSX.Element {
  const syntax = useSignal<ConfigSyntax>("yaml");
  const editing = useSignal(false);
  const phase = useSignal<Phase>({ kind: "idle" });
  const problems = useSignal<readonly ShownProblem[]>([]);
  const editor = useRef<ConfigEditor | null>(null);

  const show = (text: string, list: readonly ConfigProblem[]) => {
    const shown = list.map((p) => ({ ...p, range: p.path === "" ? undefined : locatePath(text, p.path) }));
    problems.value = shown;
    editor.current?.showProblems(
      shown.flatMap((p) =>
        p.range === undefined ? [] : [{ ...p.range, message: p.path === "" ? p.message : `${p.path}: ${p.message}` }],
      ),
    );
  };

  /** Reads and validates the text; the configuration when it has no problem. */
  const check = async (): Promise<ConnectorConfig | undefined> => {
    const text = editor.current?.text();
    if (text === undefined) return undefined;
    const parsed = parseConfigText(text);
    if (!parsed.ok) {
      problems.value = parsed.problems.map((p) => ({ path: "", message: p.message, range: p.range }));
      editor.current?.showProblems(parsed.problems.map((p) => ({ ...p.range, message: p.message })));
      phase.value = { kind: "invalid" };
      return undefined;
    }
    phase.value = { kind: "busy", what: "Validating" };
    const found = await validateConfig(parsed.config);
    show(text, found);
    phase.value = { kind: found.length === 0 ? "valid" : "invalid" };
    return found.length === 0 ? parsed.config : undefined;
  };

  const validate = () => {
    check().catch((error: unknown) => {
      phase.value = { kind: "failed", error };
    });
  };

  const save = async () => {
    try {
      const config = await check();
      if (config === undefined) return;
      phase.value = { kind: "busy", what: "Saving" };
      await putConfig(props.name, config);
      editing.value = false;
      problems.value = [];
      phase.value = { kind: "saved" };
      props.onSaved();
    } catch (error) {
      if (error instanceof ConnectConfigError && editor.current !== null) {
        show(editor.current.text(), error.problems);
        phase.value = { kind: "invalid" };
      } else {
        phase.value = { kind: "failed", error };
      }
    }
  };

  const p = phase.value;
  const busy = p.kind === "busy";
  return (
    <div class="config-panel" data-testid="config-panel">
      <div class="toolbar">
        {editing.value ? null : (
          <Segmented
            options={SYNTAXES}
            value={syntax.value}
            onChange={(value) => (syntax.value = value)}
            label="Show the configuration as"
            testId="config-syntax"
          />
        )}
        {p.kind === "saved" ? (
          <span class="config-note config-good">
            <Icon name="good" size={14} /> Saved; the connector restarts with it.
          </span>
        ) : null}
        <span class="spacer" />
        {editing.value ? (
          <>
            <Button small disabled={busy} onClick={validate} testId="config-validate">
              Validate
            </Button>
            <Button small variant="primary" disabled={busy} onClick={() => void save()} testId="config-save">
              Validate and save
            </Button>
            <Button
              small
              variant="ghost"
              disabled={busy}
              onClick={() => {
                editing.value = false;
                problems.value = [];
                phase.value = { kind: "idle" };
              }}
            >
              Cancel
            </Button>
          </>
        ) : (
          <Button
            small
            onClick={() => {
              editing.value = true;
              phase.value = { kind: "idle" };
            }}
            testId="config-edit"
          >
            Edit
          </Button>
        )}
      </div>
      {editing.value ? (
        <EditorHost
          doc={configText(props.config, syntax.value)}
          editor={editor}
          onChange={() => {
            if (phase.value.kind !== "busy") phase.value = { kind: "idle" };
          }}
        />
      ) : (
        <pre class="config-view mono" data-testid="config-view">
          {configText(props.config, syntax.value)}
        </pre>
      )}
      {busy ? <p class="muted small">{p.what}…</p> : null}
      {p.kind === "valid" ? (
        <p class="config-note config-good" data-testid="config-valid">
          <Icon name="good" size={14} /> No problems: Connect accepts this configuration.
        </p>
      ) : null}
      {p.kind === "failed" ? <ErrorBanner error={p.error} title="The configuration could not be checked" /> : null}
      {problems.value.length === 0 ? null : (
        <div class="config-problems" role="alert" data-testid="config-problems">
          <p class="config-note config-bad">
            <Icon name="bad" size={14} /> {problems.value.length} {problems.value.length === 1 ? "problem" : "problems"}
            ; nothing was saved.
          </p>
          <ul>
            {problems.value.map((problem) => (
              <li key={`${problem.path}:${problem.message}`} data-testid="config-problem" data-path={problem.path}>
                {problem.path === "" ? null : <span class="mono config-path">{problem.path}</span>}
                <span>{problem.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
