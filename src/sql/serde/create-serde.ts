// The record formats of KEY_FORMAT / VALUE_FORMAT by name: one Serde per (format, columns, role), built once per schema.

import type { Row } from "../expressions/scope.ts";
import { createDelimitedSerde } from "./delimited-format.ts";
import { SqlSerdeError } from "./errors.ts";
import { createJsonSerde } from "./json-format.ts";
import { createKafkaSerde } from "./kafka-format.ts";
import type { Serde, SerdeColumn, SerdeFormat, SerdeOptions } from "./serde.ts";

const FORMATS: readonly SerdeFormat[] = ["JSON", "KAFKA", "DELIMITED", "NONE"];

/** Builds the serde for `format` (case-insensitive); throws SQL_SERDE_SCHEMA when the format cannot carry the columns. */
export function createSerde(format: string, columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  const name = format.toUpperCase() as SerdeFormat;
  switch (name) {
    case "JSON":
      return createJsonSerde(columns, options);
    case "KAFKA":
      return createKafkaSerde(columns, options);
    case "DELIMITED":
      return createDelimitedSerde(columns, options);
    case "NONE":
      return createNoneSerde(columns, options);
  }
  throw new SqlSerdeError("SQL_SERDE_SCHEMA", format, `unknown format; expected one of ${FORMATS.join(", ")}`);
}

const EMPTY_ROW: Row = Object.freeze([]);

/** NONE: the key of a key-less stream; whatever bytes the key holds are ignored. */
function createNoneSerde(columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  if (options.role !== "key") throw new SqlSerdeError("SQL_SERDE_SCHEMA", "NONE", "NONE can only be a KEY_FORMAT");
  if (columns.length > 0) {
    throw new SqlSerdeError("SQL_SERDE_SCHEMA", "NONE", `KEY_FORMAT NONE takes no key columns, got ${columns.length}`);
  }
  return { format: "NONE", decode: () => EMPTY_ROW, encode: () => null };
}
