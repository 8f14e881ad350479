// The DELIMITED format: one line of delimiter-separated fields, in column order, quoted with "" when needed.

import type { Row } from "../expressions/scope.ts";
import type { Decimal } from "../types/decimal.ts";
import { formatType, isPrimitive, type SqlType } from "../types/types.ts";
import { formatDouble } from "../types/value-text.ts";
import type { SqlValue } from "../types/values.ts";
import { FieldMismatch, preview, recordError, SqlSerdeError, withSegment } from "./errors.ts";
import { compileNodeDecoder } from "./json-decoders.ts";
import { nullRecord, type Serde, type SerdeColumn, type SerdeOptions } from "./serde.ts";

/** As the Kafka StringDeserializer under ksqlDB's delimited reader: malformed UTF-8 becomes U+FFFD. */
const lenientUtf8 = new TextDecoder("utf-8");
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** VALUE_DELIMITER's spellings: one character, or the words ksqlDB takes for the ones hard to write in SQL. */
function delimiterCharacter(spelling: string | undefined, where: string): string {
  if (spelling === undefined) return ",";
  const upper = spelling.toUpperCase();
  if (upper === "TAB") return "\t";
  if (upper === "SPACE") return " ";
  if ([...spelling].length !== 1 || spelling === '"' || spelling === "\r" || spelling === "\n") {
    throw new SqlSerdeError(
      "SQL_SERDE_SCHEMA",
      where,
      `delimiter must be one character other than a quote or line break, or TAB or SPACE; got ${JSON.stringify(spelling)}`,
    );
  }
  return spelling;
}

/**
 * Every primitive type and DECIMAL; no ARRAY, MAP or STRUCT, as in ksqlDB. An unquoted empty field is NULL and a
 * quoted one (`""`) the empty string, so that NULL and '' both survive a round trip. Numbers may carry surrounding
 * spaces; temporal types are whole numbers (days, ms of the day, ms since the epoch) or ISO text.
 */
export function createDelimitedSerde(columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  const root = options.role;
  for (const column of columns) {
    if (!isPrimitive(column.type)) {
      throw new SqlSerdeError(
        "SQL_SERDE_SCHEMA",
        `${root}.${column.name}`,
        `the DELIMITED format cannot carry ${formatType(column.type)}`,
      );
    }
  }
  const delimiter = delimiterCharacter(options.delimiter, root);
  const decoders = columns.map((c) => compileFieldDecoder(c.type));
  const encoders = columns.map((c) => compileFieldEncoder(c.type, delimiter));
  const names = preview(columns.map((c) => c.name).join(", "));
  const nullRow = nullRecord(columns, options);

  return {
    format: "DELIMITED",
    decode(bytes): Row | null {
      if (bytes === null) return nullRow;
      try {
        const fields = splitLine(lenientUtf8.decode(bytes), delimiter);
        if (fields.length !== columns.length) {
          throw new FieldMismatch(`expected ${columns.length} fields (${names}), found ${fields.length}`);
        }
        const row: SqlValue[] = new Array(columns.length);
        for (let i = 0; i < columns.length; i++) {
          const field = fields[i]!;
          try {
            row[i] = field === null ? null : decoders[i]!(field);
          } catch (error) {
            withSegment(error, `.${columns[i]!.name}`);
          }
        }
        return row;
      } catch (error) {
        throw recordError(error, root);
      }
    },
    encode(row) {
      if (row === null) return null;
      let line = "";
      for (let i = 0; i < encoders.length; i++) {
        if (i > 0) line += delimiter;
        const value = row[i] ?? null;
        if (value !== null) line += encoders[i]!(value);
      }
      return Buffer.from(line, "utf8");
    },
  };
}

/**
 * Splits one line into fields: `null` for an unquoted empty field, the text otherwise. One trailing line break is
 * allowed; any other line break outside quotes, or text after a closing quote, is an error that says where.
 */
function splitLine(text: string, delimiter: string): (string | null)[] {
  const line = text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
  const fields: (string | null)[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = "";
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) throw new FieldMismatch(`unterminated quoted field starting at character ${at + 1}`);
        value += line.slice(from, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      fields.push(value);
      if (at < line.length && line[at] !== delimiter) {
        throw new FieldMismatch(`expected a delimiter after the quoted field ending at character ${at}`);
      }
    } else {
      const end = line.indexOf(delimiter, at);
      const raw = end < 0 ? line.slice(at) : line.slice(at, end);
      if (/[\r\n]/.test(raw)) throw new FieldMismatch(`unquoted line break in field ${fields.length + 1}`);
      fields.push(raw === "" ? null : raw);
      at = end < 0 ? line.length : end;
    }
    if (at >= line.length) return fields;
    at += delimiter.length;
    if (at === line.length) {
      fields.push(null);
      return fields;
    }
  }
}

function compileFieldDecoder(type: SqlType): (text: string) => SqlValue {
  const decode = compileNodeDecoder(type);
  if (type.kind === "STRING") return (text) => text;
  if (type.kind === "DATE" || type.kind === "TIME" || type.kind === "TIMESTAMP") {
    return (text) => decode(INTEGER_TEXT.test(text) ? Number(text) : text);
  }
  return decode;
}

/** Writes a non-null value; text is quoted only when it must be (delimiter, quote, line break, or empty). */
function compileFieldEncoder(type: SqlType, delimiter: string): (value: SqlValue) => string {
  switch (type.kind) {
    case "STRING":
      return (value) => quoteIfNeeded(value as string, delimiter);
    case "DOUBLE":
      return (value) => formatDouble(value as number);
    case "DECIMAL":
      return (value) => (value as Decimal).toString();
    case "BYTES":
      return (value) => Buffer.from(value as Uint8Array).toString("base64");
    default:
      return String;
  }
}

function quoteIfNeeded(text: string, delimiter: string): string {
  const needs = text === "" || text.includes(delimiter) || /["\r\n]/.test(text);
  return needs ? `"${text.replaceAll('"', '""')}"` : text;
}
