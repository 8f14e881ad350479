// Reads SQL type text (`DOUBLE`, `DECIMAL(10, 2)`, `ARRAY<MAP<STRING, INT>>`, `STRUCT<A INT>`) into the type model,
// for user-defined function descriptions written by hand.

import { SqlFunctionError } from "./errors.ts";
import { arrayType, decimalType, mapType, type PrimitiveKind, type SqlType, structType } from "./types.ts";

const ALIASES: Record<string, PrimitiveKind> = {
  BOOLEAN: "BOOLEAN",
  INT: "INTEGER",
  INTEGER: "INTEGER",
  BIGINT: "BIGINT",
  DOUBLE: "DOUBLE",
  STRING: "STRING",
  VARCHAR: "STRING",
  BYTES: "BYTES",
  DATE: "DATE",
  TIME: "TIME",
  TIMESTAMP: "TIMESTAMP",
};

/** Parses type text; throws SQL_TYPE saying where the text stops making sense. */
export function parseTypeText(text: string): SqlType {
  const tokens = text.match(/`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_]*|\d+|[<>(),]|\S/g) ?? [];
  let at = 0;
  const fail = (why: string): never => {
    throw new SqlFunctionError("SQL_TYPE", `bad type ${JSON.stringify(text)}: ${why}`);
  };
  const next = () => tokens[at++] ?? fail("unexpected end");
  const expect = (token: string) => {
    if (next() !== token) fail(`expected '${token}'`);
  };
  const type = (): SqlType => {
    const word = next().toUpperCase();
    if (word in ALIASES) return { kind: ALIASES[word]! };
    if (word === "DECIMAL") {
      expect("(");
      const precision = Number(next());
      expect(",");
      const scale = Number(next());
      expect(")");
      return decimalType(precision, scale);
    }
    if (word === "ARRAY") {
      expect("<");
      const element = type();
      expect(">");
      return arrayType(element);
    }
    if (word === "MAP") {
      expect("<");
      const key = type();
      expect(",");
      const value = type();
      expect(">");
      return mapType(key, value);
    }
    if (word === "STRUCT") {
      expect("<");
      const fields = [];
      while (tokens[at] !== ">") {
        const raw = next();
        const name = raw.startsWith("`") ? raw.slice(1, -1).replaceAll("``", "`") : raw.toUpperCase();
        fields.push({ name, type: type() });
        if (tokens[at] === ",") at++;
      }
      expect(">");
      return structType(fields);
    }
    return fail(`unknown type ${word}`);
  };
  const result = type();
  if (at !== tokens.length) fail(`unexpected ${tokens[at]}`);
  return result;
}
