// The error every stage of the KSQL front end throws for text it cannot read: where, what was found, what was expected.

/** A statement or expression that does not follow KSQL's syntax. Line and column are 1-based. */
export class SqlSyntaxError extends Error {
  readonly code = "SQL_SYNTAX";
  readonly line: number;
  readonly column: number;
  /** 0-based offset into the text that was parsed. */
  readonly offset: number;
  /** The offending token as the message shows it (`'FROM'`, `end of input`), or "" when the message says it all. */
  readonly found: string;
  /** What would have been accepted here, as shown in the message (`')'`, `an identifier`). */
  readonly expected: readonly string[];
  /** A keyword the found word is probably a misspelling of. */
  readonly suggestion: string | undefined;

  constructor(
    position: { readonly line: number; readonly column: number; readonly offset: number },
    problem: string,
    details: { found?: string; expected?: readonly string[]; suggestion?: string } = {},
  ) {
    const hint = details.suggestion === undefined ? "" : `; did you mean '${details.suggestion}'?`;
    super(`line ${position.line}:${position.column}: ${problem}${hint}`);
    this.name = "SqlSyntaxError";
    this.line = position.line;
    this.column = position.column;
    this.offset = position.offset;
    this.found = details.found ?? "";
    this.expected = details.expected ?? [];
    this.suggestion = details.suggestion;
  }
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`: the way the expected alternatives read in a message. */
export function alternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "nothing";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
