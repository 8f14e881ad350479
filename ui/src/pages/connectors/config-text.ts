// A connector configuration as text the user edits (YAML or JSON), read back into an object, and each problem's path
// (`sources.press.jobs[0].interval`, or PLC4X's dotted flat keys) found in that text so the editor can mark it there.
import { isMap, isPair, isScalar, isSeq, type Node, parseDocument, stringify } from "yaml";

export type ConfigSyntax = "yaml" | "json";

/** The configuration written out: YAML as a person would write it, or JSON indented by two. */
export function configText(config: unknown, syntax: ConfigSyntax): string {
  if (syntax === "json") return `${JSON.stringify(config, null, 2)}\n`;
  return stringify(config, { lineWidth: 0 });
}

export interface TextRange {
  readonly from: number;
  readonly to: number;
}

export type ParsedConfig =
  | { readonly ok: true; readonly config: Record<string, unknown> }
  | { readonly ok: false; readonly problems: readonly { readonly range: TextRange; readonly message: string }[] };

/** Reads the edited text (JSON is YAML too, so one parser serves both); syntax errors come with where they are. */
export function parseConfigText(text: string): ParsedConfig {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        range: { from: error.pos[0], to: Math.max(error.pos[1], error.pos[0] + 1) },
        message: error.message,
      })),
    };
  }
  const value: unknown = document.toJS();
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      problems: [{ range: { from: 0, to: Math.min(text.length, 1) }, message: "expected a mapping of keys to values" }],
    };
  }
  return { ok: true, config: value as Record<string, unknown> };
}

function rangeOf(node: Node | null | undefined): TextRange | undefined {
  const range = node?.range;
  return range === undefined || range === null ? undefined : { from: range[0], to: range[1] };
}

/**
 * Where a problem's path is in the text: the key it names (or the list item), else the nearest enclosing key that
 * exists (a missing key is marked on its parent), else undefined. At each mapping the longest key the rest of the path
 * starts with wins, so flat PLC4X keys that hold dots themselves are found whole.
 */
export function locatePath(text: string, path: string): TextRange | undefined {
  const document = parseDocument(text, { prettyErrors: false });
  let node: unknown = document.contents;
  let rest = path;
  let found: TextRange | undefined;
  while (rest !== "") {
    if (isMap(node)) {
      let best: { key: string; pair: (typeof node.items)[number] } | undefined;
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const boundary = rest.charAt(key.length);
        const covers = rest === key || (rest.startsWith(key) && (boundary === "." || boundary === "["));
        if (covers && (best === undefined || key.length > best.key.length)) best = { key, pair };
      }
      if (best === undefined) break;
      found = rangeOf(best.pair.key as Node) ?? found;
      node = best.pair.value;
      rest = rest.slice(best.key.length).replace(/^\./, "");
    } else if (isSeq(node)) {
      const index = /^\[(\d+)\]\.?/.exec(rest);
      const item = index === null ? undefined : node.items[Number(index[1])];
      if (index === null || item === undefined) break;
      found = rangeOf(item as Node) ?? found;
      node = item;
      rest = rest.slice(index[0].length);
    } else {
      break;
    }
  }
  return found;
}
