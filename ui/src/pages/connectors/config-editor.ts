// The connector config editor: CodeMirror with YAML/JSON colouring (keys, strings, numbers, comments), and each
// problem of the configuration underlined at its key with the message beside it.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { HighlightStyle, StreamLanguage, type StringStream, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { editorTheme } from "../sql/editor-theme.ts";

export interface ConfigEditorProblem {
  readonly from: number;
  readonly to: number;
  readonly message: string;
}

export interface ConfigEditor {
  text(): string;
  showProblems(problems: readonly ConfigEditorProblem[]): void;
  destroy(): void;
}

/**
 * Enough of YAML and JSON to colour a connector config: a key before its colon, quoted and plain strings, numbers
 * and booleans, comments. Not a validator: the server judges the content, and yaml's parser the syntax.
 */
const configLanguage = StreamLanguage.define<{ afterColon: boolean }>({
  startState: () => ({ afterColon: false }),
  token(stream: StringStream, state) {
    if (stream.sol()) state.afterColon = false;
    if (stream.eatSpace()) return null;
    if (stream.match("#")) {
      stream.skipToEnd();
      return "comment";
    }
    const quoted = stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^'(?:[^']|'')*'?/);
    if (quoted) {
      if (!state.afterColon && stream.match(/^\s*:/, false)) return "propertyName";
      return "string";
    }
    if (stream.match(/^-?\d+(\.\d+)?([eE][-+]?\d+)?(?=[\s,}\]]|$)/)) return "number";
    if (stream.match(/^(true|false|null|~)(?=[\s,}\]]|$)/)) return "atom";
    if (stream.match(/^[:,{}[\]-]/)) {
      if (stream.current() === ":") state.afterColon = true;
      return "punctuation";
    }
    if (stream.match(/^[^\s:,{}[\]#]+(?:\s+[^\s:,{}[\]#]+)*/)) {
      if (!state.afterColon && stream.match(/^\s*:(\s|$)/, false)) return "propertyName";
      return "string";
    }
    stream.next();
    return null;
  },
});

const configHighlight = HighlightStyle.define([
  { tag: tags.propertyName, color: "var(--syntax-keyword, var(--accent))" },
  { tag: tags.string, color: "var(--syntax-string, var(--good))" },
  { tag: [tags.number, tags.atom, tags.bool], color: "var(--syntax-number, var(--warn))" },
  { tag: tags.comment, color: "var(--text-muted)", fontStyle: "italic" },
  { tag: tags.punctuation, color: "var(--text-muted)" },
]);

export function createConfigEditor(parent: HTMLElement, doc: string, onChange: () => void): ConfigEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        lintGutter(),
        configLanguage,
        syntaxHighlighting(configHighlight),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange();
        }),
        EditorView.contentAttributes.of({
          "aria-label": "Connector configuration",
          "data-testid": "config-editor-content",
        }),
        editorTheme,
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    showProblems: (problems) => {
      const length = view.state.doc.length;
      const diagnostics: Diagnostic[] = problems.map((p) => ({
        from: Math.min(p.from, length),
        to: Math.min(Math.max(p.to, p.from), length),
        severity: "error",
        source: "connect",
        message: p.message,
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
      const first = diagnostics[0];
      if (first !== undefined) view.dispatch({ effects: EditorView.scrollIntoView(first.from, { y: "center" }) });
    },
    destroy: () => view.destroy(),
  };
}
