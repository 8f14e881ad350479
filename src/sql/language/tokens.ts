// The tokens the KSQL lexer produces: what each one is, where it stands in the source text, and the symbol set.

/**
 * `word` is an unquoted identifier or keyword (value upper-cased); `quoted` a back-quoted identifier (value as written);
 * `string` a '...' literal (value unescaped); numbers keep their text as value; `variable` is `${name}` (value = name).
 */
export type TokenKind = "word" | "quoted" | "string" | "integer" | "decimal" | "double" | "variable" | "symbol" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token, exactly as written. */
  readonly text: string;
  /** What the token means: upper-cased word, unescaped string or identifier, number text, symbol, variable name. */
  readonly value: string;
  /** 0-based offset of the first character; `end` is one past the last. */
  readonly offset: number;
  readonly end: number;
  /** 1-based line and column of the first character. */
  readonly line: number;
  readonly column: number;
}

/** Every operator and punctuation mark KSQL has, longest first so that the lexer can match greedily. */
export const SYMBOLS = [
  "->",
  "=>",
  ":=",
  "<>",
  "!=",
  "<=",
  ">=",
  "||",
  "(",
  ")",
  "[",
  "]",
  ",",
  ";",
  ".",
  "*",
  "+",
  "-",
  "/",
  "%",
  "=",
  "<",
  ">",
] as const;

export type SymbolText = (typeof SYMBOLS)[number];
