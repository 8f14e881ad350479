// YAML and JSON configuration text to a plain value, keeping where each key and value was written for problem messages.
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { errorMessage } from "../../plc/index.ts";
import type { ConfigProblem } from "./errors.ts";

/** A step into a document: a mapping key or a list index. */
export type PathSegment = string | number;

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a key (`part: "key"`) or its value was written; undefined when unknown (e.g. the key is missing). */
export type Locator = (path: readonly PathSegment[], part?: "key" | "value") => Position | undefined;

export interface StructuredDocument {
  readonly value: unknown;
  readonly locate: Locator;
}

export type StructuredSyntax = "yaml" | "json";

export type StructuredResult =
  | { readonly ok: true; readonly document: StructuredDocument }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

const nowhere: Locator = () => undefined;

/** Parses YAML (1.2) or JSON; syntax errors come back as problems with their line and column, never with the text. */
export function readStructured(text: string, syntax: StructuredSyntax): StructuredResult {
  if (syntax === "json") return readJson(text);
  const parsed = parseYaml(text);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  return { ok: true, document: parsed.document };
}

/** `["sources", "press", "jobs", 1, "tags", "temp"]` → `sources.press.jobs[1].tags.temp`; odd keys are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

interface ParsedYaml {
  readonly document: StructuredDocument;
  readonly problems: readonly ConfigProblem[];
  /** True when every problem is a key given twice, which JSON.parse would have let pass. */
  readonly onlyDuplicateKeys: boolean;
}

function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems = doc.errors.map((error) => ({
    path: "",
    message: error.code === "DUPLICATE_KEY" ? "a key is given twice in one mapping" : `invalid YAML: ${error.message}`,
    ...position(error.pos[0]),
  }));
  const onlyDuplicateKeys = doc.errors.every((error) => error.code === "DUPLICATE_KEY");
  const locate: Locator = (path, part = "value") => {
    const offset = findOffset(doc, path, part);
    return offset === undefined ? undefined : position(offset);
  };
  // toJS would throw on documents with errors; they are reported instead.
  const value = problems.length > 0 ? undefined : doc.toJS({ maxAliasCount: 1000 });
  return { document: { value, locate }, problems, onlyDuplicateKeys };
}

interface Ranged {
  readonly range?: readonly [number, number, number] | null;
}

function findOffset(doc: Document, path: readonly PathSegment[], part: "key" | "value"): number | undefined {
  let current: unknown = doc.contents;
  let key: unknown;
  for (const segment of path) {
    if (isAlias(current)) current = current.resolve(doc);
    if (isMap(current)) {
      const pair = current.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return undefined;
      key = pair.key;
      current = pair.value;
    } else if (isSeq(current) && typeof segment === "number") {
      current = current.items[segment];
      key = current;
    } else {
      return undefined;
    }
  }
  const node = (part === "key" ? (key ?? current) : (current ?? key)) as Ranged | null | undefined;
  return node?.range?.[0];
}

function readJson(text: string): StructuredResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [jsonSyntaxProblem(errorMessage(error))] };
  }
  // JSON is YAML too, so the YAML parser finds where each value is; it also catches a key given twice, which
  // JSON.parse silently resolves by keeping the last.
  const { document, problems, onlyDuplicateKeys } = parseYaml(text);
  if (problems.length === 0) return { ok: true, document: { value, locate: document.locate } };
  if (onlyDuplicateKeys) return { ok: false, problems };
  return { ok: true, document: { value, locate: nowhere } };
}

/** V8's JSON messages quote the text around the error, which may hold a password: keep the reason and the position. */
function jsonSyntaxProblem(message: string): ConfigProblem {
  const positioned = /^(.*?) in JSON at position \d+ \(line (\d+) column (\d+)\)/.exec(message);
  if (positioned !== null) {
    return {
      path: "",
      message: `invalid JSON: ${positioned[1]}`,
      line: Number(positioned[2]),
      column: Number(positioned[3]),
    };
  }
  const reason = message.split(/, "|\s+in JSON/)[0] ?? message;
  return { path: "", message: `invalid JSON: ${reason}` };
}
