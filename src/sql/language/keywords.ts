// Which words KSQL reserves, and the words that start a statement or a type (the candidates for "did you mean").
import type { PrimitiveTypeName, TimeUnit } from "./ast.ts";

/**
 * Words that can never be an unquoted identifier, because a clause or an operator starts with them. Every other
 * keyword (STREAM, KEY, SIZE, TIMESTAMP, ...) is recognised by its position only, so it stays usable as a column name.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "AND",
  "AS",
  "BETWEEN",
  "BY",
  "CASE",
  "CAST",
  "CREATE",
  "DISTINCT",
  "DROP",
  "ELSE",
  "EMIT",
  "END",
  "ESCAPE",
  "FALSE",
  "FROM",
  "FULL",
  "GROUP",
  "HAVING",
  "IN",
  "INNER",
  "INSERT",
  "INTO",
  "IS",
  "JOIN",
  "LEFT",
  "LIKE",
  "LIMIT",
  "NOT",
  "NULL",
  "ON",
  "OR",
  "OUTER",
  "PARTITION",
  "RIGHT",
  "SELECT",
  "THEN",
  "TRUE",
  "VALUES",
  "WHEN",
  "WHERE",
  "WINDOW",
  "WITH",
  "WITHIN",
]);

/** The words a statement can begin with. */
export const STATEMENT_KEYWORDS: readonly string[] = [
  "CREATE",
  "DEFINE",
  "DESCRIBE",
  "DROP",
  "EXPLAIN",
  "INSERT",
  "LIST",
  "PRINT",
  "RUN",
  "SELECT",
  "SET",
  "SHOW",
  "TERMINATE",
  "UNDEFINE",
  "UNSET",
];

/** Time units for window sizes, advances, gaps, retention, grace periods and join windows, singular and plural. */
export const TIME_UNITS: readonly TimeUnit[] = ["MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY"];

/**
 * The unit an upper-case word names, singular or plural (`MINUTE`, `MINUTES`); undefined for any other word. One
 * spelling rule for durations, the bare unit of TIMESTAMPADD(MINUTES, …) and the unit text the functions take.
 */
export function timeUnitOf(word: string): TimeUnit | undefined {
  const singular = word.endsWith("S") ? word.slice(0, -1) : word;
  return TIME_UNITS.find((unit) => unit === singular);
}

/** Every spelling of a primitive type, with the name the AST keeps for it. */
export const PRIMITIVE_TYPES: ReadonlyMap<string, PrimitiveTypeName> = new Map([
  ["BOOLEAN", "BOOLEAN"],
  ["INT", "INT"],
  ["INTEGER", "INT"],
  ["BIGINT", "BIGINT"],
  ["DOUBLE", "DOUBLE"],
  ["STRING", "STRING"],
  ["VARCHAR", "STRING"],
  ["BYTES", "BYTES"],
  ["DATE", "DATE"],
  ["TIME", "TIME"],
  ["TIMESTAMP", "TIMESTAMP"],
]);

/** The words a type can begin with: a name spelled like one of them must be back-quoted where a type stands. */
export const TYPE_KEYWORDS: readonly string[] = [...PRIMITIVE_TYPES.keys(), "DECIMAL", "ARRAY", "MAP", "STRUCT"];
