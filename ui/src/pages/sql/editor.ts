// The SQL page's CodeMirror 6 editor: KSQL highlighting and completion (keywords, functions, the catalog's streams,
// tables and columns), Ctrl/Cmd-Enter to run, and errors shown where they are as lint diagnostics.
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab, toggleComment } from "@codemirror/commands";
import { type SQLNamespace, sql } from "@codemirror/lang-sql";
import { bracketMatching, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { Compartment, EditorSelection, EditorState, Prec } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  placeholder,
} from "@codemirror/view";
import { editorTheme } from "./editor-theme.ts";
import { KSQL, ksqlHighlight } from "./ksql-dialect.ts";

export interface SqlEditorOptions {
  readonly parent: HTMLElement;
  readonly doc: string;
  readonly onRun: () => void;
  readonly onChange?: (doc: string) => void;
}

/** An error to underline: offsets in the document, and what to say. */
export interface EditorError {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

export interface SqlEditor {
  readonly view: EditorView;
  text(): string;
  /** The selected range, or undefined when nothing is selected (Run then runs the whole script). */
  selection(): { from: number; to: number } | undefined;
  showErrors(errors: readonly EditorError[]): void;
  clearErrors(): void;
  /** Replaces the selection (or inserts at the cursor) and focuses the editor. */
  insert(text: string): void;
  /** Puts the cursor at an offset, scrolled into view. */
  moveTo(offset: number): void;
  /** Streams, tables and their columns for completion. */
  setSchema(schema: SQLNamespace): void;
  destroy(): void;
}

export function createSqlEditor(options: SqlEditorOptions): SqlEditor {
  const language = new Compartment();
  const language_of = (schema: SQLNamespace) => sql({ dialect: KSQL, upperCaseKeywords: true, schema });
  const run = () => {
    options.onRun();
    return true;
  };
  const state = EditorState.create({
    doc: options.doc,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      autocompletion({ icons: false }),
      lintGutter(),
      syntaxHighlighting(ksqlHighlight),
      language.of(language_of({})),
      placeholder("SELECT * FROM MACHINE_STATUS_ENRICHED EMIT CHANGES;   — Ctrl+Enter runs"),
      Prec.highest(
        keymap.of([
          { key: "Mod-Enter", run },
          { key: "Ctrl-Enter", run },
          { key: "Shift-Enter", run },
        ]),
      ),
      keymap.of([
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...historyKeymap,
        ...completionKeymap,
        { key: "Mod-/", run: toggleComment },
        indentWithTab,
      ]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange?.(update.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ "aria-label": "SQL editor", "data-testid": "sql-editor-content" }),
      editorTheme,
    ],
  });
  const view = new EditorView({ state, parent: options.parent });

  return {
    view,
    text: () => view.state.doc.toString(),
    selection: () => {
      const { from, to } = view.state.selection.main;
      return from === to ? undefined : { from, to };
    },
    showErrors: (errors) => {
      const length = view.state.doc.length;
      const diagnostics: Diagnostic[] = errors.map((error) => ({
        from: Math.min(error.from, length),
        to: Math.min(Math.max(error.to, error.from), length),
        severity: "error",
        source: "ksql",
        message: error.message,
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
      const first = diagnostics[0];
      if (first !== undefined) view.dispatch({ effects: EditorView.scrollIntoView(first.from, { y: "center" }) });
    },
    clearErrors: () => view.dispatch(setDiagnostics(view.state, [])),
    insert: (text) => {
      view.dispatch(view.state.replaceSelection(text), { scrollIntoView: true });
      view.focus();
    },
    moveTo: (offset) => {
      const at = Math.min(offset, view.state.doc.length);
      view.dispatch({ selection: EditorSelection.cursor(at), scrollIntoView: true });
      view.focus();
    },
    setSchema: (schema) => view.dispatch({ effects: language.reconfigure(language_of(schema)) }),
    destroy: () => view.destroy(),
  };
}
