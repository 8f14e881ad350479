// Checks that a source's key and value formats can carry its columns, by building the serdes the runtime will build.

import type { Span } from "../language/ast.ts";
import { createSerde } from "../serde/create-serde.ts";
import { SqlSerdeError } from "../serde/errors.ts";
import type { SerdeColumn } from "../serde/serde.ts";
import { formatType } from "../types/types.ts";
import type { SourceDescription } from "./catalog.ts";
import type { Fail } from "./errors.ts";
import type { WithProperties } from "./properties.ts";

type Formats = Pick<
  SourceDescription,
  "columns" | "keyFormat" | "valueFormat" | "keyDelimiter" | "valueDelimiter" | "wrapSingleValue"
>;

/**
 * The serdes are the authority on what a format carries (KAFKA one primitive column, DELIMITED no nested types,
 * NONE nothing), so the statement fails now rather than every record later.
 */
export function checkFormats(source: Formats, props: WithProperties, statement: Span, fail: Fail): void {
  // Point at the property that chose the format, wrapping or delimiter; the statement's name when the default did.
  const spanOf = (given: { readonly span: Span } | undefined) => given?.span ?? statement;
  const key = source.columns.filter((c) => c.role === "KEY").map(serdeColumn);
  const value = source.columns.filter((c) => c.role === "VALUE").map(serdeColumn);
  if (source.keyDelimiter !== undefined && source.keyFormat !== "DELIMITED") {
    fail(
      "SQL_INVALID_PROPERTY",
      `KEY_DELIMITER needs KEY_FORMAT DELIMITED, not ${source.keyFormat}`,
      spanOf(props.keyDelimiter),
    );
  }
  if (source.valueDelimiter !== undefined && source.valueFormat !== "DELIMITED") {
    fail(
      "SQL_INVALID_PROPERTY",
      `VALUE_DELIMITER needs VALUE_FORMAT DELIMITED, not ${source.valueFormat}`,
      spanOf(props.valueDelimiter),
    );
  }
  if (source.wrapSingleValue !== undefined) {
    const span = spanOf(props.wrapSingleValue);
    if (value.length !== 1) {
      fail("SQL_INVALID_PROPERTY", `WRAP_SINGLE_VALUE needs exactly one value column, not ${value.length}`, span);
    }
    if (source.wrapSingleValue && source.valueFormat !== "JSON") {
      fail("SQL_FORMAT", `the ${source.valueFormat} format does not wrap a single value; drop WRAP_SINGLE_VALUE`, span);
    }
  }
  build("key", source.keyFormat, key, source.keyDelimiter, undefined, spanOf(props.keyFormat), fail);
  build(
    "value",
    source.valueFormat,
    value,
    source.valueDelimiter,
    source.wrapSingleValue,
    spanOf(props.valueFormat),
    fail,
  );
}

function build(
  role: "key" | "value",
  format: string,
  columns: readonly SerdeColumn[],
  delimiter: string | undefined,
  wrapSingleValue: boolean | undefined,
  span: Span,
  fail: Fail,
): void {
  try {
    createSerde(format, columns, {
      role,
      ...(delimiter === undefined ? {} : { delimiter }),
      ...(wrapSingleValue === undefined ? {} : { wrapSingleValue }),
    });
  } catch (error) {
    if (!(error instanceof SqlSerdeError)) throw error;
    const described = columns.map((c) => `${c.name} ${formatType(c.type)}`).join(", ") || "no columns";
    const property = role === "key" ? "KEY_FORMAT" : "VALUE_FORMAT";
    fail("SQL_FORMAT", `${property} ${format} cannot carry the ${role} (${described}): ${error.problem}`, span, error);
  }
}

function serdeColumn(column: SourceDescription["columns"][number]): SerdeColumn {
  return { name: column.name, type: column.type };
}
