// The KSQL language front end: text to statements and expressions with spans, typed syntax errors, and back to text.
export type * from "./ast.ts";
export { SqlSyntaxError } from "./errors.ts";
export { RESERVED_WORDS } from "./keywords.ts";
export { positionOf, tokenize } from "./lexer.ts";
export {
  parseStandaloneExpression as parseExpression,
  parseStandaloneType as parseType,
  parseStatements,
} from "./parse-statements.ts";
export { printExpression, printIdentifier, printType } from "./print-expression.ts";
export { printQuery, printStatement, printStatements } from "./printer.ts";
export type { Token, TokenKind } from "./tokens.ts";
