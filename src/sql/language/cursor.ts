// The parser's position in the token list: lookahead, consuming, spans, nesting limits and "expected X but found Y".
import type { Identifier, Span } from "./ast.ts";
import { alternatives, SqlSyntaxError } from "./errors.ts";
import { RESERVED_WORDS } from "./keywords.ts";
import { tokenize } from "./lexer.ts";
import { nearestName } from "./near-miss.ts";
import type { SymbolText, Token } from "./tokens.ts";

/** Deeper nesting than this is refused with a syntax error rather than left to exhaust the call stack. */
export const MAX_NESTING = 100;
/**
 * Operators in one chain (`a + b + ...`, `x[1][2]...`) are read in a loop but build a tree as deep as the chain is long,
 * which later stages walk recursively; this bounds that depth.
 */
export const MAX_CHAIN = 2000;

export class TokenCursor {
  readonly text: string;
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  private chained = 0;
  /** What the parser looked for, and failed to find, at token `expectedAt`: the "expected ..." of the next error. */
  private expected: string[] = [];
  private expectedKeywords: string[] = [];
  private expectedAt = -1;

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
  }

  /** Consumes the current token and returns it (never moves past `eof`). */
  next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.index++;
    return token;
  }

  /** End offset of the token consumed last: where the node being built ends. */
  get previousEnd(): number {
    return this.index === 0 ? 0 : this.tokens[this.index - 1]!.end;
  }

  spanFrom(start: Token | number): Span {
    return { start: typeof start === "number" ? start : start.offset, end: this.previousEnd };
  }

  atEnd(): boolean {
    return this.peek().kind === "eof";
  }

  // Silent tests: operators are tried at every step of an expression and would clutter "expected" lists.
  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === "word" && token.value === word;
  }

  isSymbol(symbol: SymbolText, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === "symbol" && token.value === symbol;
  }

  /** Consumes `word` when it comes next; otherwise notes it as expected here. */
  acceptWord(word: string): boolean {
    if (this.isWord(word)) {
      this.next();
      return true;
    }
    this.expect(`'${word}'`, word);
    return false;
  }

  acceptSymbol(symbol: SymbolText): boolean {
    if (this.isSymbol(symbol)) {
      this.next();
      return true;
    }
    this.expect(`'${symbol}'`);
    return false;
  }

  requireWord(word: string): Token {
    if (!this.acceptWord(word)) this.fail();
    return this.peek(-1);
  }

  requireSymbol(symbol: SymbolText): Token {
    if (!this.acceptSymbol(symbol)) this.fail();
    return this.peek(-1);
  }

  /** Consumes whichever of `words` comes next, or fails listing them all. */
  requireOneOf<W extends string>(words: readonly W[]): W {
    for (const word of words) if (this.acceptWord(word)) return word;
    return this.fail();
  }

  /** Notes what would have been accepted at the current token, for the message of a later `fail()`. */
  expect(label: string, keyword?: string): void {
    if (this.expectedAt !== this.index) {
      this.expected = [];
      this.expectedKeywords = [];
      this.expectedAt = this.index;
    }
    if (!this.expected.includes(label)) this.expected.push(label);
    if (keyword !== undefined) this.expectedKeywords.push(keyword);
  }

  /** True when the current token can be an identifier: back-quoted, or an unquoted word that KSQL does not reserve. */
  isIdentifier(ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === "quoted" || (token.kind === "word" && !RESERVED_WORDS.has(token.value));
  }

  identifier(): Identifier {
    if (!this.isIdentifier()) {
      this.expect("an identifier");
      this.fail();
    }
    const token = this.next();
    return { value: token.value, span: { start: token.offset, end: token.end } };
  }

  /** A string literal's unescaped value. */
  string(what = "a string"): string {
    if (this.peek().kind !== "string") {
      this.expect(what);
      this.fail();
    }
    return this.next().value;
  }

  /** A non-negative integer literal that fits a JavaScript number exactly. */
  integer(what = "an integer"): number {
    const token = this.peek();
    if (token.kind !== "integer") {
      this.expect(what);
      this.fail();
    }
    const value = Number(token.value);
    if (!Number.isSafeInteger(value)) this.failAt(token, `${token.text} is too large here`);
    this.next();
    return value;
  }

  /** Runs `parse` one nesting level deeper, refusing input nested past MAX_NESTING. */
  nested<T>(parse: () => T): T {
    if (++this.depth > MAX_NESTING)
      this.failAt(this.peek(), `nesting deeper than ${MAX_NESTING} levels is not supported`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** One more link of an operator chain; `shallower` gives the links back when the chain ends. */
  deepen(): void {
    if (++this.chained > MAX_CHAIN)
      this.failAt(this.peek(-1), `more than ${MAX_CHAIN} chained operators are not supported`);
  }

  shallower(links: number): void {
    this.chained -= links;
  }

  /** Throws "expected <what was noted here> but found <current token>", suggesting a keyword for a near miss. */
  fail(candidates: readonly string[] = []): never {
    const token = this.peek();
    const expected = this.expectedAt === this.index ? this.expected : [];
    const found = describe(token);
    const keywords = [...(this.expectedAt === this.index ? this.expectedKeywords : []), ...candidates];
    const suggestion = token.kind === "word" ? nearestName(token.value, keywords) : undefined;
    const problem =
      expected.length > 0 ? `expected ${alternatives(expected)} but found ${found}` : `unexpected ${found}`;
    throw new SqlSyntaxError(token, problem, {
      found,
      expected,
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  }

  failAt(token: Token, problem: string): never {
    throw new SqlSyntaxError(token, problem, { found: describe(token) });
  }
}

/** How a token reads in an error message: `'FROM'`, `end of input`; long tokens are shortened. */
export function describe(token: Token): string {
  if (token.kind === "eof") return "end of input";
  const text = token.text.length > 32 ? `${token.text.slice(0, 29)}...` : token.text;
  return `'${text.replaceAll("\n", " ")}'`;
}
