// Reads `.properties` text by the rules of Java's Properties.load, which PLC4X and Kafka Connect configs are written in.
import type { ConfigProblem } from "./errors.ts";

/** One `key=value` of the file, with where its key starts (1-based) so that problems can point at it. */
export interface PropertyEntry {
  readonly key: string;
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

export interface PropertiesResult {
  /** In file order; a key given twice appears twice (Java keeps the last). */
  readonly entries: readonly PropertyEntry[];
  /** Malformed `\uXXXX` escapes, the one thing Java refuses to load. */
  readonly problems: readonly ConfigProblem[];
}

/** Java's whitespace in properties files: space, tab and form feed (not other Unicode spaces). */
const isBlank = (char: string | undefined) => char === " " || char === "\t" || char === "\f";

interface LogicalLine {
  readonly text: string;
  readonly line: number;
  /** 1-based column of `text[0]` in the first natural line. */
  readonly column: number;
}

/**
 * Parses properties text: `#` and `!` comment lines, `key=value`, `key: value` and `key value`, blank-insensitive
 * separators, lines continued by an odd number of trailing backslashes (the next line's leading blanks dropped), and
 * the escapes `\t \n \r \f \uXXXX`; a backslash before any other character stands for that character.
 */
export function parseProperties(text: string): PropertiesResult {
  const entries: PropertyEntry[] = [];
  const problems: ConfigProblem[] = [];
  for (const logical of logicalLines(text.startsWith("\uFEFF") ? text.slice(1) : text)) {
    const { keyEnd, valueStart } = splitKeyValue(logical.text);
    const where = { line: logical.line, column: logical.column };
    const keyText = decodeEscapes(logical.text.slice(0, keyEnd), where, problems);
    const valueText = decodeEscapes(logical.text.slice(valueStart), where, problems);
    if (keyText === undefined || valueText === undefined) continue;
    entries.push({ key: keyText, value: valueText, line: logical.line, column: logical.column });
  }
  return { entries, problems };
}

function* logicalLines(text: string): Generator<LogicalLine> {
  const natural = text.split(/\r\n|\r|\n/);
  let pending: { parts: string[]; line: number; column: number } | undefined;
  for (let index = 0; index < natural.length; index++) {
    const raw = natural[index] ?? "";
    let start = 0;
    while (isBlank(raw[start])) start++;
    if (pending === undefined) {
      // Comments and blank lines are recognised only at the start of a logical line, never on a continued one.
      if (start === raw.length || raw[start] === "#" || raw[start] === "!") continue;
      pending = { parts: [], line: index + 1, column: start + 1 };
    }
    let backslashes = 0;
    while (backslashes < raw.length - start && raw[raw.length - 1 - backslashes] === "\\") backslashes++;
    const continued = backslashes % 2 === 1;
    pending.parts.push(raw.slice(start, continued ? raw.length - 1 : raw.length));
    if (continued && index < natural.length - 1) continue;
    yield { text: pending.parts.join(""), line: pending.line, column: pending.column };
    pending = undefined;
  }
}

/** The key ends at the first unescaped `=`, `:` or blank; blanks, then one `=` or `:`, then blanks separate the value. */
function splitKeyValue(line: string): { keyEnd: number; valueStart: number } {
  let i = 0;
  while (i < line.length) {
    const char = line[i];
    if (char === "\\") {
      i += 2;
      continue;
    }
    if (char === "=" || char === ":" || isBlank(char)) break;
    i++;
  }
  const keyEnd = Math.min(i, line.length);
  let j = keyEnd;
  while (isBlank(line[j])) j++;
  if (line[j] === "=" || line[j] === ":") j++;
  while (isBlank(line[j])) j++;
  return { keyEnd, valueStart: j };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function decodeEscapes(
  text: string,
  where: { readonly line: number; readonly column: number },
  problems: ConfigProblem[],
): string | undefined {
  if (!text.includes("\\")) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break; // a lone backslash at the very end of the file: Java drops it
    if (next === "u") {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        // Not echoing the line: it may be a connection string with a password in it.
        problems.push({ path: "", message: "malformed \\uXXXX escape: '\\u' needs four hex digits", ...where });
        return undefined;
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 5;
      continue;
    }
    out += SIMPLE_ESCAPES[next] ?? next;
    i++;
  }
  return out;
}
