// CAST between SQL types with ksqlDB's rules: which pairs are allowed, and how each value converts (or fails).

import { Decimal } from "./decimal.ts";
import { SqlFunctionError } from "./errors.ts";
import { MS_PER_DAY, parseIsoDate, parseIsoTime, parseIsoTimestamp } from "./temporal.ts";
import { formatType, isNumeric, type SqlType, typesEqual } from "./types.ts";
import { valueToText } from "./value-text.ts";
import { isStruct, type SqlStruct, type SqlValue } from "./values.ts";

export type CastFunction = (value: SqlValue) => SqlValue;

const INT_TEXT = /^[+-]?\d+$/;
const DOUBLE_TEXT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[dDfF]?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether CAST(from AS to) is allowed at all (the analyzer rejects the others before any row flows). */
export function canCast(from: SqlType, to: SqlType): boolean {
  if (typesEqual(from, to)) return true;
  if (to.kind === "STRING") return from.kind !== "BYTES";
  if (from.kind === "STRING") return to.kind === "BOOLEAN" || isNumeric(to) || isTemporalKind(to.kind);
  if (isNumeric(from) && isNumeric(to)) return true;
  if (from.kind === "TIMESTAMP") return to.kind === "DATE" || to.kind === "TIME";
  if (from.kind === "DATE") return to.kind === "TIMESTAMP";
  if (from.kind === "ARRAY" && to.kind === "ARRAY") return canCast(from.element, to.element);
  if (from.kind === "MAP" && to.kind === "MAP") return canCast(from.key, to.key) && canCast(from.value, to.value);
  if (from.kind === "STRUCT" && to.kind === "STRUCT") {
    return to.fields.every((t) => {
      const source = from.fields.find((f) => f.name === t.name);
      return source === undefined || canCast(source.type, t.type);
    });
  }
  return false;
}

/**
 * The converter for CAST(from AS to), built once per expression. NULL stays NULL; a value that cannot convert (bad
 * text, a number that does not fit) throws SQL_CAST, which the engine logs and turns into NULL as ksqlDB does.
 */
export function compileCast(from: SqlType, to: SqlType): CastFunction {
  if (!canCast(from, to)) {
    throw new SqlFunctionError("SQL_CAST", `cannot cast ${formatType(from)} to ${formatType(to)}`);
  }
  if (typesEqual(from, to)) return (value) => value;
  const convert = converter(from, to);
  return (value) => (value === null ? null : convert(value));
}

export function castValue(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  return compileCast(from, to)(value);
}

function converter(from: SqlType, to: SqlType): CastFunction {
  if (to.kind === "STRING") return (v) => valueToText(v, from);
  if (from.kind === "STRING") return fromText(to);
  switch (to.kind) {
    case "INTEGER":
      return toInteger(from);
    case "BIGINT":
      return toBigint(from);
    case "DOUBLE":
      return (v) => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : (v as Decimal).toNumber());
    case "DECIMAL":
      return (v) => fitDecimal(numberToDecimal(v), to.precision, to.scale);
    case "DATE":
      return (v) => Math.floor((v as number) / MS_PER_DAY);
    case "TIME":
      return (v) => (((v as number) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
    case "TIMESTAMP":
      return (v) => (v as number) * MS_PER_DAY;
    case "ARRAY": {
      const element = compileCast((from as { element: SqlType }).element, to.element);
      return (v) => (v as SqlValue[]).map(element);
    }
    case "MAP": {
      const source = from as { key: SqlType; value: SqlType };
      const key = compileCast(source.key, to.key);
      const value = compileCast(source.value, to.value);
      return (v) => {
        const out = new Map<SqlValue, SqlValue>();
        for (const [k, x] of v as Map<SqlValue, SqlValue>) out.set(key(k), value(x));
        return out;
      };
    }
    case "STRUCT":
      return structConverter(from, to);
    default:
      throw new SqlFunctionError("SQL_CAST", `cannot cast ${formatType(from)} to ${formatType(to)}`);
  }
}

function structConverter(from: SqlType, to: Extract<SqlType, { kind: "STRUCT" }>): CastFunction {
  const sourceFields = from.kind === "STRUCT" ? from.fields : [];
  const fields = to.fields.map((target) => {
    const source = sourceFields.find((f) => f.name === target.name);
    return { name: target.name, cast: source ? compileCast(source.type, target.type) : null };
  });
  return (v) => {
    const input = isStruct(v) ? v : {};
    const out: SqlStruct = {};
    for (const field of fields) {
      const value = input[field.name];
      out[field.name] = field.cast && value !== undefined ? field.cast(value) : null;
    }
    return out;
  };
}

function toInteger(from: SqlType): CastFunction {
  switch (from.kind) {
    case "BIGINT":
      return (v) => Number(BigInt.asIntN(32, v as bigint));
    case "DECIMAL":
      return (v) => Number(BigInt.asIntN(32, (v as Decimal).toBigInt()));
    default:
      return (v) => javaDoubleToInt(v as number);
  }
}

function toBigint(from: SqlType): CastFunction {
  switch (from.kind) {
    case "INTEGER":
      return (v) => BigInt(v as number);
    case "DECIMAL":
      return (v) => BigInt.asIntN(64, (v as Decimal).toBigInt());
    default:
      return (v) => javaDoubleToLong(v as number);
  }
}

/** Java's (int) on a double: truncates toward zero, saturates, NaN → 0. */
export function javaDoubleToInt(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.max(-2147483648, Math.min(2147483647, Math.trunc(value)));
}

/** Java's (long) on a double: truncates toward zero, saturates, NaN → 0. */
export function javaDoubleToLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return INT64_MAX;
  if (value <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(value));
}

function numberToDecimal(value: SqlValue): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === "bigint") return Decimal.fromBigInt(value);
  return Number.isInteger(value) && Math.abs(value as number) < 2 ** 53
    ? Decimal.fromBigInt(BigInt(value as number))
    : Decimal.fromNumber(value as number);
}

/** Rounds HALF_UP to the type's scale and checks the precision, as ksqlDB's decimal casts do. */
export function fitDecimal(value: Decimal, precision: number, scale: number): Decimal {
  const rounded = value.setScale(scale, "HALF_UP");
  if (rounded.precision() > precision) {
    throw new SqlFunctionError("SQL_CAST", `${value} does not fit DECIMAL(${precision}, ${scale})`);
  }
  return rounded;
}

function fromText(to: SqlType): CastFunction {
  switch (to.kind) {
    case "BOOLEAN":
      return (v) => (v as string).toLowerCase() === "true";
    case "INTEGER":
      return (v) => {
        const n = parseIntegral(v as string, "INTEGER");
        if (n < -2147483648n || n > 2147483647n) throw notFit(v as string, "INTEGER");
        return Number(n);
      };
    case "BIGINT":
      return (v) => {
        const n = parseIntegral(v as string, "BIGINT");
        if (n < INT64_MIN || n > INT64_MAX) throw notFit(v as string, "BIGINT");
        return n;
      };
    case "DOUBLE":
      return (v) => {
        const text = (v as string).trim();
        if (!DOUBLE_TEXT.test(text)) throw notNumber(v as string, "DOUBLE");
        return Number(text.replace(/[dDfF]$/, ""));
      };
    case "DECIMAL":
      return (v) => fitDecimal(Decimal.parse(v as string), to.precision, to.scale);
    case "DATE":
      return (v) => parseIsoDate(v as string);
    case "TIME":
      return (v) => parseIsoTime(v as string);
    default:
      return (v) => parseIsoTimestamp(v as string);
  }
}

function parseIntegral(text: string, type: string): bigint {
  const trimmed = text.trim();
  if (!INT_TEXT.test(trimmed)) throw notNumber(text, type);
  return BigInt(trimmed);
}

function notNumber(text: string, type: string): SqlFunctionError {
  return new SqlFunctionError("SQL_CAST", `cannot cast ${JSON.stringify(text)} to ${type}: not a number`);
}

function notFit(text: string, type: string): SqlFunctionError {
  return new SqlFunctionError("SQL_CAST", `cannot cast ${JSON.stringify(text)} to ${type}: out of range`);
}

function isTemporalKind(kind: string): boolean {
  return kind === "DATE" || kind === "TIME" || kind === "TIMESTAMP";
}
