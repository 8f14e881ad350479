// Where typed text becomes statements for `fabrik sql`: ends found with the KSQL lexer, and what each statement goes to.
import { parseStatements, SqlSyntaxError, tokenize } from "../../language/index.ts";

export interface SplitText {
  /** Complete statements, each from its first token through its `;` (leading comments dropped). */
  readonly statements: string[];
  /** What follows the last `;`, when it holds more than white space and comments: a statement still being typed. */
  readonly rest: string;
}

/** True when the lexer stopped at a string, quoted name or comment that the text has not closed yet. */
function isUnclosed(text: string, error: SqlSyntaxError): boolean {
  const at = error.offset;
  return text[at] === "'" || text[at] === "`" || text.startsWith("/*", at);
}

/**
 * Cuts `text` at every `;` that ends a statement: one inside a string, a quoted name or a comment does not. Text the
 * lexer cannot read is left to the server to report, as one statement once it ends with `;`.
 */
export function splitStatements(text: string): SplitText {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError) || isUnclosed(text, error) || !text.trimEnd().endsWith(";")) {
      return { statements: [], rest: text };
    }
    return { statements: [text.trim()], rest: "" };
  }
  const statements: string[] = [];
  let first: number | undefined;
  for (const token of tokens) {
    if (token.kind === "eof") break;
    if (token.kind === "symbol" && token.value === ";") {
      if (first !== undefined) statements.push(text.slice(first, token.end));
      first = undefined;
    } else {
      first ??= token.offset;
    }
  }
  return { statements, rest: first === undefined ? "" : text.slice(first) };
}

/** Lines typed so far; hands out each statement once its `;` has been typed. */
export class StatementBuffer {
  #text = "";

  /** Adds one typed line; returns the statements it completed, in order. */
  add(line: string): string[] {
    this.#text += `${line}\n`;
    const { statements, rest } = splitStatements(this.#text);
    this.#text = rest;
    return statements;
  }

  /** Whether a statement has been started and not ended. */
  get pending(): boolean {
    return this.#text.trim().length > 0;
  }

  clear(): void {
    this.#text = "";
  }
}

/** What runs a statement: the server's query endpoint, its statement endpoint, or the client itself. */
export type StatementRoute =
  /** `print`: PRINT's rows are lines of text, shown as they are rather than in a grid, as ksqlDB's CLI does. */
  | { readonly kind: "query"; readonly print: boolean }
  | { readonly kind: "statement" }
  | { readonly kind: "set"; readonly name: string; readonly value: string }
  | { readonly kind: "unset"; readonly name: string }
  | { readonly kind: "script"; readonly path: string };

/**
 * SELECT and PRINT stream from /query-stream; SET, UNSET and RUN SCRIPT stay in the client, as in ksqlDB's CLI (the
 * properties go with every later request); everything else goes to /ksql. Throws SqlSyntaxError for a malformed
 * client-side statement; the server judges the others.
 */
export function routeOf(statement: string): StatementRoute {
  let firstWord: string | undefined;
  try {
    const first = tokenize(statement)[0];
    firstWord = first?.kind === "word" ? first.value : undefined;
  } catch {
    return { kind: "statement" };
  }
  switch (firstWord) {
    case "SELECT":
      return { kind: "query", print: false };
    case "PRINT":
      return { kind: "query", print: true };
    case "SET":
    case "UNSET":
    case "RUN": {
      const parsed = parseStatements(statement)[0]?.statement;
      if (parsed?.kind === "SetProperty") return { kind: "set", name: parsed.name, value: parsed.value };
      if (parsed?.kind === "UnsetProperty") return { kind: "unset", name: parsed.name };
      if (parsed?.kind === "RunScript") return { kind: "script", path: parsed.path };
      return { kind: "statement" };
    }
    default:
      return { kind: "statement" };
  }
}
