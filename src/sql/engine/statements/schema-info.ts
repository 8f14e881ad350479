// Column types as ksqlDB's DESCRIBE writes them: a SchemaInfo tree per column, key and header columns marked.
import type { CatalogColumn } from "../../analysis/catalog.ts";
import type { SqlType } from "../../types/types.ts";
import type { FieldInfo, SchemaInfo } from "../entities.ts";

/**
 * ksqlDB's base type names (INTEGER, not INT); ARRAY and MAP carry their element (a map's value) as `memberSchema`,
 * STRUCT its fields. DECIMAL is named without precision and scale, as ksqlDB's `type` field is.
 */
function schemaInfo(type: SqlType): SchemaInfo {
  switch (type.kind) {
    case "ARRAY":
      return { type: "ARRAY", fields: null, memberSchema: schemaInfo(type.element) };
    case "MAP":
      return { type: "MAP", fields: null, memberSchema: schemaInfo(type.value) };
    case "STRUCT":
      return {
        type: "STRUCT",
        fields: type.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })),
        memberSchema: null,
      };
    default:
      return { type: type.kind, fields: null, memberSchema: null };
  }
}

/** A source's columns in catalog order: key columns marked KEY, header columns HEADER. */
export function fieldsOf(columns: readonly CatalogColumn[]): FieldInfo[] {
  return columns.map((column) => {
    const field = { name: column.name, schema: schemaInfo(column.type) };
    if (column.role === "KEY") return { ...field, type: "KEY" as const };
    if (column.role === "HEADERS" || column.role === "HEADER") return { ...field, type: "HEADER" as const };
    return field;
  });
}

/** Output columns (a query's key and value) as fields. */
export function outputFields(
  key: readonly { readonly name: string; readonly type: SqlType }[],
  value: readonly { readonly name: string; readonly type: SqlType }[],
): FieldInfo[] {
  return [
    ...key.map((c) => ({ name: c.name, schema: schemaInfo(c.type), type: "KEY" as const })),
    ...value.map((c) => ({ name: c.name, schema: schemaInfo(c.type) })),
  ];
}
