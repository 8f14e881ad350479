// Checks that a source's key and value formats can carry its columns, by building the serdes the runtime will build.

import type { Span } from "../language/ast.ts";
import { createSerde } from "../serde/create-serde.ts";
import { SqlSerdeError } from "../serde/errors.ts";
import type { SerdeColumn } from "../serde/serde.ts";
import { formatType } from "../types/types.ts";
import type { SourceDescription } from "./catalog.ts";
import type { Fail } from "./errors.ts";
import type { WithProperties } from "./properties.ts";

/** Where to point when a format does not fit: the property that chose it, else the statement's name. */
export interface FormatSpans {
  readonly keyFormat?: Span;
  readonly valueFormat?: Span;
  readonly wrapSingleValue?: Span;
  readonly keyDelimiter?: Span;
  readonly valueDelimiter?: Span;
  readonly statement: Span;
}

/** The spans of the WITH properties that chose formats, wrapping and delimiters. */
export function formatSpansOf(props: WithProperties, statement: Span): FormatSpans {
  return {
    ...(props.keyFormat ? { keyFormat: props.keyFormat.span } : {}),
    ...(props.valueFormat ? { valueFormat: props.valueFormat.span } : {}),
    ...(props.wrapSingleValue ? { wrapSingleValue: props.wrapSingleValue.span } : {}),
    ...(props.keyDelimiter ? { keyDelimiter: props.keyDelimiter.span } : {}),
    ...(props.valueDelimiter ? { valueDelimiter: props.valueDelimiter.span } : {}),
    statement,
  };
}

type Formats = Pick<
  SourceDescription,
  "columns" | "keyFormat" | "valueFormat" | "keyDelimiter" | "valueDelimiter" | "wrapSingleValue"
>;

/**
 * The serdes are the authority on what a format carries (KAFKA one primitive column, DELIMITED no nested types,
 * NONE nothing), so the statement fails now rather than every record later.
 */
export function checkFormats(source: Formats, spans: FormatSpans, fail: Fail): void {
  const key = source.columns.filter((c) => c.role === "KEY").map(serdeColumn);
  const value = source.columns.filter((c) => c.role === "VALUE").map(serdeColumn);
  if (source.keyDelimiter !== undefined && source.keyFormat !== "DELIMITED") {
    fail(
      "SQL_INVALID_PROPERTY",
      `KEY_DELIMITER needs KEY_FORMAT DELIMITED, not ${source.keyFormat}`,
      spans.keyDelimiter ?? spans.statement,
    );
  }
  if (source.valueDelimiter !== undefined && source.valueFormat !== "DELIMITED") {
    fail(
      "SQL_INVALID_PROPERTY",
      `VALUE_DELIMITER needs VALUE_FORMAT DELIMITED, not ${source.valueFormat}`,
      spans.valueDelimiter ?? spans.statement,
    );
  }
  if (source.wrapSingleValue !== undefined) {
    const span = spans.wrapSingleValue ?? spans.statement;
    if (value.length !== 1) {
      fail("SQL_INVALID_PROPERTY", `WRAP_SINGLE_VALUE needs exactly one value column, not ${value.length}`, span);
    }
    if (source.wrapSingleValue && source.valueFormat !== "JSON") {
      fail("SQL_FORMAT", `the ${source.valueFormat} format does not wrap a single value; drop WRAP_SINGLE_VALUE`, span);
    }
  }
  build("key", source.keyFormat, key, source.keyDelimiter, undefined, spans.keyFormat ?? spans.statement, fail);
  build(
    "value",
    source.valueFormat,
    value,
    source.valueDelimiter,
    source.wrapSingleValue,
    spans.valueFormat ?? spans.statement,
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
