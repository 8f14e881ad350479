// Which words KSQL reserves, and the words that may start a statement (the candidates for "did you mean").

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
export const TIME_UNITS: readonly string[] = ["MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY"];
