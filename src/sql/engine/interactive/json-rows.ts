// Runtime SQL values to the JSON values ksqlDB's REST API puts in result rows, one converter per column type.

import {
  type Decimal,
  formatDouble,
  formatIsoDate,
  formatIsoTime,
  formatIsoTimestamp,
  isStruct,
  type SqlType,
  type SqlValue,
  valueToText,
} from "../../types/index.ts";
import type { JsonValue } from "../entities.ts";

/** Turns one non-null value of a known type into JSON; built once per column, called per row. */
type Converter = (value: SqlValue) => JsonValue;

/**
 * How a value of `type` appears in a REST row: BOOLEAN, INTEGER, DOUBLE and DECIMAL as JSON numbers (NaN and the
 * infinities as the strings "NaN", "Infinity", "-Infinity", which is how ksqlDB's JSON writer quotes them); BIGINT as a
 * number while it is exact in a JavaScript number (|n| ≤ 2^53 − 1), beyond that as a string of its digits, so that no
 * client rounds an id or an offset silently; STRING as is; BYTES as base64; DATE `yyyy-MM-dd`, TIME `HH:mm[:ss[.SSS]]`
 * and TIMESTAMP `yyyy-MM-ddTHH:mm:ss.SSS` (UTC); ARRAY as an array; MAP as an object keyed by the keys' text; STRUCT as
 * an object with every declared field, absent ones null.
 */
export function jsonConverter(type: SqlType): (value: SqlValue) => JsonValue {
  const convert = nonNullConverter(type);
  return (value) => (value === null ? null : convert(value));
}

/** Converts whole rows whose columns have `types`, in order; the converters are built once here. */
export function jsonRowConverter(types: readonly SqlType[]): (row: readonly SqlValue[]) => JsonValue[] {
  const converters = types.map(jsonConverter);
  return (row) => {
    const out: JsonValue[] = new Array(converters.length);
    for (let i = 0; i < converters.length; i++) out[i] = converters[i]!(row[i] ?? null);
    return out;
  };
}

function nonNullConverter(type: SqlType): Converter {
  switch (type.kind) {
    case "BOOLEAN":
    case "INTEGER":
    case "STRING":
      return (value) => value as JsonValue;
    case "BIGINT":
      return (value) => bigintToJson(value as bigint);
    case "DOUBLE":
      return (value) => doubleToJson(value as number);
    case "DECIMAL":
      return (value) => (value as Decimal).toNumber();
    case "BYTES":
      return (value) => Buffer.from(value as Uint8Array).toString("base64");
    case "DATE":
      return (value) => formatIsoDate(value as number);
    case "TIME":
      return (value) => formatIsoTime(value as number);
    case "TIMESTAMP":
      return (value) => formatIsoTimestamp(value as number);
    case "ARRAY": {
      const element = jsonConverter(type.element);
      return (value) => (value as SqlValue[]).map(element);
    }
    case "MAP": {
      const keyType = type.key;
      const convertValue = jsonConverter(type.value);
      return (value) => {
        const out: { [key: string]: JsonValue } = {};
        for (const [k, v] of value as Map<SqlValue, SqlValue>)
          defineField(out, valueToText(k, keyType), convertValue(v));
        return out;
      };
    }
    case "STRUCT": {
      const fields = type.fields.map((f) => ({ name: f.name, convert: jsonConverter(f.type) }));
      return (value) => {
        const struct = isStruct(value) ? value : {};
        const out: { [key: string]: JsonValue } = {};
        for (const field of fields) defineField(out, field.name, field.convert(struct[field.name] ?? null));
        return out;
      };
    }
  }
}

const MIN_EXACT = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

function bigintToJson(value: bigint): JsonValue {
  return value >= MIN_EXACT && value <= MAX_EXACT ? Number(value) : value.toString();
}

function doubleToJson(value: number): JsonValue {
  return Number.isFinite(value) ? value : formatDouble(value);
}

// Defined, not assigned: a map key or field named `__proto__` is data, not the object's prototype.
function defineField(target: { [key: string]: JsonValue }, name: string, value: JsonValue): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}
