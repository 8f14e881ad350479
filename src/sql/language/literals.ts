// Turns number and string tokens into literal nodes: INT or BIGINT by size, DECIMAL without exponent, DOUBLE with one.
import type { Literal } from "./ast.ts";
import type { TokenCursor } from "./cursor.ts";
import type { Token } from "./tokens.ts";

const INT_MAX = 2147483647n;
const BIGINT_MAX = 9223372036854775807n;

/** The literal a string, integer, decimal or double token stands for; numbers out of range are syntax errors. */
export function literal(cursor: TokenCursor, token: Token): Literal {
  const span = { start: token.offset, end: token.end };
  switch (token.kind) {
    case "string":
      return { kind: "StringLiteral", value: token.value, span };
    case "decimal":
      return { kind: "DecimalLiteral", value: token.value, span };
    case "double": {
      const value = Number(token.value);
      if (!Number.isFinite(value)) cursor.failAt(token, `${token.text} is out of range for DOUBLE`);
      return { kind: "DoubleLiteral", value, span };
    }
    default: {
      const value = BigInt(token.value);
      if (value > BIGINT_MAX) cursor.failAt(token, `${token.text} is out of range for BIGINT`);
      return { kind: "IntegerLiteral", value: value.toString(), type: value > INT_MAX ? "BIGINT" : "INT", span };
    }
  }
}
