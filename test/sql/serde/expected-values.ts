// Expected rows for the serde cases, read from case files on their own terms, independent of the decoders under test.

import { fitDecimal } from "../../../src/sql/types/cast.ts";
import { Decimal } from "../../../src/sql/types/decimal.ts";
import { SqlFunctionError } from "../../../src/sql/types/errors.ts";
import { type JsonValue, stringifyJson } from "../../../src/sql/types/json-value.ts";
import { parseIsoDate, parseIsoTime, parseIsoTimestamp } from "../../../src/sql/types/temporal.ts";
import { formatType, type SqlType } from "../../../src/sql/types/types.ts";
import type { SqlStruct, SqlValue } from "../../../src/sql/types/values.ts";

/**
 * Converts a case file's JSON node to the runtime value of `type`, accepting what is easy to write by hand: numbers as
 * strings (DECIMALs beyond a double's digits), TIMESTAMP as epoch millis or ISO text, BYTES as base64, struct keys in
 * any case. Its own code, not the JSON format's decoder, so a decoder bug cannot hide in the expected row too. Throws
 * SQL_CAST saying what did not fit.
 */
export function fromJsonValue(node: JsonValue, type: SqlType): SqlValue {
  if (node === null) return null;
  switch (type.kind) {
    case "BOOLEAN":
      if (typeof node === "boolean") return node;
      if (typeof node === "string") return node.toLowerCase() === "true";
      break;
    case "INTEGER":
      if (typeof node === "number" && Number.isInteger(node)) return node | 0;
      if (typeof node === "bigint") return Number(BigInt.asIntN(32, node));
      if (typeof node === "string" && /^-?\d+$/.test(node.trim())) return Number(node) | 0;
      break;
    case "BIGINT":
      if (typeof node === "bigint") return BigInt.asIntN(64, node);
      if (typeof node === "number" && Number.isInteger(node)) return BigInt(node);
      if (typeof node === "string" && /^-?\d+$/.test(node.trim())) return BigInt.asIntN(64, BigInt(node.trim()));
      break;
    case "DOUBLE":
      if (typeof node === "number") return node;
      if (typeof node === "bigint") return Number(node);
      if (typeof node === "string" && /^\s*[+-]?(NaN|Infinity|[\d.eE+-]+)\s*$/.test(node)) return Number(node);
      break;
    case "DECIMAL":
      if (typeof node === "number") return fitDecimal(Decimal.fromNumber(node), type.precision, type.scale);
      if (typeof node === "bigint") return fitDecimal(Decimal.fromBigInt(node), type.precision, type.scale);
      if (typeof node === "string") return fitDecimal(Decimal.parse(node), type.precision, type.scale);
      break;
    case "STRING":
      return typeof node === "string" ? node : stringifyJson(node);
    case "BYTES":
      if (typeof node === "string") return Buffer.from(node, "base64");
      break;
    case "DATE":
      if (typeof node === "number") return node;
      if (typeof node === "string") return parseIsoDate(node);
      break;
    case "TIME":
      if (typeof node === "number") return node;
      if (typeof node === "string") return parseIsoTime(node);
      break;
    case "TIMESTAMP":
      if (typeof node === "number") return node;
      if (typeof node === "bigint") return Number(node);
      if (typeof node === "string") return parseIsoTimestamp(node);
      break;
    case "ARRAY":
      if (Array.isArray(node)) return node.map((v) => fromJsonValue(v, type.element));
      break;
    case "MAP":
      if (typeof node === "object" && !Array.isArray(node)) {
        const map = new Map<SqlValue, SqlValue>();
        for (const [k, v] of Object.entries(node)) map.set(fromJsonValue(k, type.key), fromJsonValue(v, type.value));
        return map;
      }
      break;
    case "STRUCT":
      if (typeof node === "object" && !Array.isArray(node)) return structFromJson(node, type.fields);
      break;
  }
  throw new SqlFunctionError("SQL_CAST", `JSON ${stringifyJson(node).slice(0, 60)} is not a ${formatType(type)}`);
}

/** Struct fields match JSON keys case-insensitively, as ksqlDB's JSON format does for unquoted names. */
function structFromJson(
  node: { [key: string]: JsonValue },
  fields: readonly { name: string; type: SqlType }[],
): SqlStruct {
  const byUpper = new Map<string, JsonValue>();
  for (const [k, v] of Object.entries(node)) byUpper.set(k.toUpperCase(), v);
  const out: SqlStruct = {};
  for (const field of fields) {
    const raw = Object.hasOwn(node, field.name) ? node[field.name] : byUpper.get(field.name.toUpperCase());
    // Defined, not assigned: a field named `__proto__` is an ordinary field, not the object's prototype.
    Object.defineProperty(out, field.name, {
      value: raw === undefined ? null : fromJsonValue(raw, field.type),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
