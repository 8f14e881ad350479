// Splits the editor's script into statements the way the server reads them (`;` outside strings, quoted names and
// comments), tells queries from statements, and converts between offsets and the server's line:column positions.

/**
 * - `push`: SELECT … EMIT CHANGES, runs until stopped; `pull`: a SELECT without EMIT, answers and ends.
 * - `print`: PRINT, streams a topic's records. `set`/`unset`: a property kept by the page for what follows.
 * - `statement`: anything else, for /ksql.
 */
export type StatementKind = "push" | "pull" | "print" | "set" | "unset" | "statement";

export interface ScriptStatement {
  /** As written, from its first character that is not a blank to its `;` (or the end of the script). */
  readonly text: string;
  /** Offsets of `text` in the script. */
  readonly from: number;
  readonly to: number;
  readonly kind: StatementKind;
  /** For SET and UNSET: the property, and for SET its value. */
  readonly property?: { readonly name: string; readonly value?: string };
}

/** Where the lexer is: inside a quoted string or name, a comment, or plain text. */
type Mode = "text" | "string" | "backquote" | "doublequote" | "line-comment" | "block-comment";

/** The script's statements in order; pieces holding only blanks and comments are left out. */
export function splitStatements(script: string): ScriptStatement[] {
  const statements: ScriptStatement[] = [];
  let mode: Mode = "text";
  let start = 0;
  for (let i = 0; i < script.length; i++) {
    const char = script[i];
    const next = script[i + 1];
    switch (mode) {
      case "text":
        if (char === "'") mode = "string";
        else if (char === "`") mode = "backquote";
        else if (char === '"') mode = "doublequote";
        else if (char === "-" && next === "-") mode = "line-comment";
        else if (char === "/" && next === "*") {
          mode = "block-comment";
          i++;
        } else if (char === ";") {
          push(statements, script, start, i + 1);
          start = i + 1;
        }
        break;
      case "string":
        // A quote is written twice inside a string: '' stays in the string.
        if (char === "'") {
          if (next === "'") i++;
          else mode = "text";
        }
        break;
      case "backquote":
        if (char === "`") {
          if (next === "`") i++;
          else mode = "text";
        }
        break;
      case "doublequote":
        if (char === '"') mode = "text";
        break;
      case "line-comment":
        if (char === "\n") mode = "text";
        break;
      case "block-comment":
        if (char === "*" && next === "/") {
          mode = "text";
          i++;
        }
        break;
    }
  }
  push(statements, script, start, script.length);
  return statements;
}

function push(statements: ScriptStatement[], script: string, from: number, to: number): void {
  let begin = from;
  while (begin < to && /\s/.test(script[begin]!)) begin++;
  const text = script.slice(begin, to);
  const words = leadingWords(text);
  if (words === undefined) return;
  statements.push({ text, from: begin, to, ...classify(words) });
}

/** The text without its comments, upper-cased, when anything but blanks and comments is left. */
function leadingWords(text: string): string | undefined {
  const bare = text
    .replace(/--[^\n]*/g, " ")
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .trim();
  return bare.length === 0 || bare === ";" ? undefined : bare;
}

const SET = /^SET\s+'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'\s*;?$/i;
const UNSET = /^UNSET\s+'((?:[^']|'')*)'\s*;?$/i;

function classify(bare: string): Pick<ScriptStatement, "kind" | "property"> {
  const first = /^[A-Za-z]+/.exec(bare)?.[0]?.toUpperCase();
  if (first === "SELECT") return { kind: /\bEMIT\s+(CHANGES|FINAL)\b/i.test(stripStrings(bare)) ? "push" : "pull" };
  if (first === "PRINT") return { kind: "print" };
  const set = SET.exec(bare);
  if (first === "SET" && set !== null) {
    return { kind: "set", property: { name: unquote(set[1]!), value: unquote(set[2]!) } };
  }
  const unset = UNSET.exec(bare);
  if (first === "UNSET" && unset !== null) return { kind: "unset", property: { name: unquote(unset[1]!) } };
  return { kind: "statement" };
}

function unquote(text: string): string {
  return text.replaceAll("''", "'");
}

/** The text with string literals emptied, so a word inside a string ('EMIT CHANGES') is not taken for a clause. */
function stripStrings(text: string): string {
  return text.replace(/'(?:[^']|'')*'/g, "''");
}

/** The statement as it is sent: with its `;` (the server needs one; the last statement of a script may lack it). */
export function sendable(statement: ScriptStatement): string {
  return /;\s*$/.test(statement.text) ? statement.text : `${statement.text};`;
}

/** The offset in `text` of a 1-based line and column, clamped to the text. */
export function offsetAt(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const newline = text.indexOf("\n", offset);
    if (newline < 0) return text.length;
    offset = newline + 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const end = lineEnd < 0 ? text.length : lineEnd;
  return Math.min(offset + Math.max(column - 1, 0), end);
}

/** The 1-based line and column of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The range of the script an error points at: from the server's position (within the statement as sent) to the end
 * of the word or quoted name there, or the whole statement when the server gave no position.
 */
export function errorRange(
  script: string,
  statement: ScriptStatement,
  position: { line: number; column: number } | undefined,
): { from: number; to: number } {
  if (position === undefined) return { from: statement.from, to: Math.max(statement.from, statement.to) };
  const from = Math.min(statement.from + offsetAt(statement.text, position.line, position.column), script.length);
  const rest = script.slice(from);
  const token = /^(`(?:[^`]|``)*`|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|\S)/.exec(rest);
  const to = from + (token?.[0].length ?? 0);
  // "found end of input" points past the last character: mark the one before, so there is something to underline.
  return to > from || from <= statement.from ? { from, to } : { from: from - 1, to: from };
}
