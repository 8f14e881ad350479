// The SQL type model of Fabrik's ksqlDB dialect as data: a discriminated union, its constructors and ksqlDB's spelling.

import { MAX_DECIMAL_PRECISION } from "../language/parse-types.ts";
import { SqlFunctionError } from "./errors.ts";

export type PrimitiveKind =
  | "BOOLEAN"
  | "INTEGER"
  | "BIGINT"
  | "DOUBLE"
  | "STRING"
  | "BYTES"
  | "DATE"
  | "TIME"
  | "TIMESTAMP";

export type PrimitiveType = { readonly kind: PrimitiveKind };
export type DecimalType = { readonly kind: "DECIMAL"; readonly precision: number; readonly scale: number };
export type ArrayType = { readonly kind: "ARRAY"; readonly element: SqlType };
export type MapType = { readonly kind: "MAP"; readonly key: SqlType; readonly value: SqlType };
export type StructField = { readonly name: string; readonly type: SqlType };
export type StructType = { readonly kind: "STRUCT"; readonly fields: readonly StructField[] };

export type SqlType = PrimitiveType | DecimalType | ArrayType | MapType | StructType;

export { MAX_DECIMAL_PRECISION };

export const BOOLEAN: PrimitiveType = { kind: "BOOLEAN" };
export const INTEGER: PrimitiveType = { kind: "INTEGER" };
export const BIGINT: PrimitiveType = { kind: "BIGINT" };
export const DOUBLE: PrimitiveType = { kind: "DOUBLE" };
export const STRING: PrimitiveType = { kind: "STRING" };
export const BYTES: PrimitiveType = { kind: "BYTES" };
export const DATE: PrimitiveType = { kind: "DATE" };
export const TIME: PrimitiveType = { kind: "TIME" };
export const TIMESTAMP: PrimitiveType = { kind: "TIMESTAMP" };

export function decimalType(precision: number, scale: number): DecimalType {
  if (!Number.isInteger(precision) || precision < 1 || precision > MAX_DECIMAL_PRECISION) {
    throw new SqlFunctionError("SQL_TYPE", `DECIMAL precision must be 1..${MAX_DECIMAL_PRECISION}, got ${precision}`);
  }
  if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new SqlFunctionError("SQL_TYPE", `DECIMAL scale must be 0..precision (${precision}), got ${scale}`);
  }
  return { kind: "DECIMAL", precision, scale };
}

export function arrayType(element: SqlType): ArrayType {
  return { kind: "ARRAY", element };
}

/** MAP keys must be primitive (ksqlDB serialises them as strings in JSON). */
export function mapType(key: SqlType, value: SqlType): MapType {
  if (!isPrimitive(key))
    throw new SqlFunctionError("SQL_TYPE", `MAP key type must be primitive, got ${formatType(key)}`);
  return { kind: "MAP", key, value };
}

export function structType(fields: readonly StructField[]): StructType {
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) throw new SqlFunctionError("SQL_TYPE", `STRUCT field ${field.name} appears twice`);
    seen.add(field.name);
  }
  return { kind: "STRUCT", fields };
}

export function isPrimitive(type: SqlType): boolean {
  return type.kind !== "ARRAY" && type.kind !== "MAP" && type.kind !== "STRUCT";
}

export function isNumeric(type: SqlType): boolean {
  return type.kind === "INTEGER" || type.kind === "BIGINT" || type.kind === "DECIMAL" || type.kind === "DOUBLE";
}

/** Structural equality; DECIMALs are equal only with equal precision and scale. */
export function typesEqual(a: SqlType, b: SqlType): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case "DECIMAL":
      return b.kind === "DECIMAL" && a.precision === b.precision && a.scale === b.scale;
    case "ARRAY":
      return b.kind === "ARRAY" && typesEqual(a.element, b.element);
    case "MAP":
      return b.kind === "MAP" && typesEqual(a.key, b.key) && typesEqual(a.value, b.value);
    case "STRUCT":
      return (
        b.kind === "STRUCT" &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => f.name === b.fields[i]!.name && typesEqual(f.type, b.fields[i]!.type))
      );
    default:
      return a.kind === b.kind;
  }
}

const PLAIN_IDENTIFIER = /^[A-Z_][A-Z0-9_]*$/;

/** ksqlDB's spelling: `DECIMAL(10, 2)`, `ARRAY<INTEGER>`, `MAP<STRING, DOUBLE>`, `STRUCT<ID INTEGER, \`name\` STRING>`. */
export function formatType(type: SqlType): string {
  switch (type.kind) {
    case "DECIMAL":
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case "ARRAY":
      return `ARRAY<${formatType(type.element)}>`;
    case "MAP":
      return `MAP<${formatType(type.key)}, ${formatType(type.value)}>`;
    case "STRUCT":
      return `STRUCT<${type.fields.map((f) => `${quoteField(f.name)} ${formatType(f.type)}`).join(", ")}>`;
    default:
      return type.kind;
  }
}

function quoteField(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : `\`${name.replaceAll("`", "``")}\``;
}

/** The DECIMAL an integral type widens to without loss (ksqlDB: INT → DECIMAL(10, 0), BIGINT → DECIMAL(19, 0)). */
export function integralAsDecimal(kind: "INTEGER" | "BIGINT"): DecimalType {
  return kind === "INTEGER"
    ? { kind: "DECIMAL", precision: 10, scale: 0 }
    : { kind: "DECIMAL", precision: 19, scale: 0 };
}
