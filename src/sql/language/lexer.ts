// Splits KSQL text into tokens with their line, column and offset; comments and white space are dropped here.
import { SqlSyntaxError } from "./errors.ts";
import { SYMBOLS, type Token, type TokenKind } from "./tokens.ts";

const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_@]/;
const DIGIT = /[0-9]/;

/** Tokenizes `text`; the last token is always `eof`. Throws SqlSyntaxError for text no token can start with. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let lineStart = 0;

  const position = (at: number) => {
    // Tokens never span a line break before their start, so the current line is right for `at` >= lineStart.
    return { offset: at, line, column: at - lineStart + 1 };
  };
  const fail = (at: number, problem: string): never => {
    throw new SqlSyntaxError(positionOf(text, at), problem);
  };
  const push = (kind: TokenKind, start: number, end: number, value: string) => {
    tokens.push({ kind, text: text.slice(start, end), value, ...position(start), end });
  };
  /** Moves past text[from, to), counting the line breaks inside it (strings and comments may hold some). */
  const skipTo = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    offset = to;
  };

  while (offset < text.length) {
    const char = text[offset]!;
    const start = offset;
    if (char === " " || char === "\t" || char === "\r" || char === "\n" || char === "\f") {
      skipTo(offset, offset + 1);
    } else if (text.startsWith("--", offset)) {
      const newline = text.indexOf("\n", offset);
      skipTo(offset, newline === -1 ? text.length : newline);
    } else if (text.startsWith("/*", offset)) {
      const close = text.indexOf("*/", offset + 2);
      if (close === -1) fail(start, "comment opened here is never closed with '*/'");
      skipTo(offset, close + 2);
    } else if (char === "'" || char === "`") {
      // '...' is a string, `...` an identifier; in both, a doubled quote stands for itself.
      const string = char === "'";
      const end = closingQuote(text, offset, char);
      if (end === -1) fail(start, `${string ? "string" : "identifier"} opened here is never closed with ${char}`);
      if (!string && end === start + 1) fail(start, "an identifier cannot be empty");
      push(string ? "string" : "quoted", start, end + 1, text.slice(start + 1, end).replaceAll(char + char, char));
      skipTo(offset, end + 1);
    } else if (IDENTIFIER_START.test(char)) {
      let end = offset + 1;
      while (end < text.length && IDENTIFIER_PART.test(text[end]!)) end++;
      push("word", start, end, text.slice(start, end).toUpperCase());
      offset = end;
    } else if (DIGIT.test(char) || (char === "." && DIGIT.test(text[offset + 1] ?? ""))) {
      offset = lexNumber(text, start, (kind, end) => push(kind, start, end, text.slice(start, end)), fail);
    } else if (char === "$" && text[offset + 1] === "{") {
      const close = text.indexOf("}", offset);
      const name = close === -1 ? "" : text.slice(offset + 2, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(start, "a variable reference must look like $\u007Bname}");
      push("variable", start, close + 1, name.toUpperCase());
      offset = close + 1;
    } else {
      const symbol = SYMBOLS.find((s) => text.startsWith(s, offset));
      if (symbol === undefined) fail(start, `unexpected character '${String.fromCodePoint(text.codePointAt(start)!)}'`);
      push("symbol", start, start + symbol!.length, symbol!);
      offset += symbol!.length;
    }
  }
  tokens.push({ kind: "eof", text: "", value: "", ...position(text.length), end: text.length });
  return tokens;
}

/** Index of the quote that closes the one at `open`, where a doubled quote stands for itself; -1 if none does. */
function closingQuote(text: string, open: number, quote: string): number {
  let at = open + 1;
  for (;;) {
    const next = text.indexOf(quote, at);
    if (next === -1) return -1;
    if (text[next + 1] !== quote) return next;
    at = next + 2;
  }
}

/** Reads `12`, `1.5`, `.5`, `2.`, `1e9`, `1.5E-3`: integers, decimals, and doubles (anything with an exponent). */
function lexNumber(
  text: string,
  start: number,
  emit: (kind: "integer" | "decimal" | "double", end: number) => void,
  fail: (at: number, problem: string) => never,
): number {
  let end = start;
  let kind: "integer" | "decimal" | "double" = "integer";
  while (DIGIT.test(text[end] ?? "")) end++;
  if (text[end] === ".") {
    kind = "decimal";
    end++;
    while (DIGIT.test(text[end] ?? "")) end++;
  }
  if (text[end] === "e" || text[end] === "E") {
    let exponent = end + 1;
    if (text[exponent] === "+" || text[exponent] === "-") exponent++;
    if (DIGIT.test(text[exponent] ?? "")) {
      kind = "double";
      end = exponent;
      while (DIGIT.test(text[end] ?? "")) end++;
    }
  }
  if (IDENTIFIER_PART.test(text[end] ?? "")) {
    let wordEnd = end;
    while (IDENTIFIER_PART.test(text[wordEnd] ?? "")) wordEnd++;
    fail(
      start,
      `'${text.slice(start, wordEnd)}' is neither a number nor an identifier (identifiers cannot start with a digit)`,
    );
  }
  emit(kind, end);
  return end;
}

/** The 1-based line and column of a 0-based offset into `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}
