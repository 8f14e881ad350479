// What a record format is: the Serde interface, its columns and options, shared by every format.

import type { Row } from "../expressions/scope.ts";
import type { SqlType } from "../types/types.ts";

export type SerdeFormat = "JSON" | "KAFKA" | "DELIMITED" | "NONE";

/** A column of the key or of the value, in row order, named as the statement spelled it (normalised by KSQL). */
export interface SerdeColumn {
  readonly name: string;
  readonly type: SqlType;
}

export interface SerdeOptions {
  /** Which part of the Kafka record: decides null handling, the error path's root, and single-column wrapping. */
  readonly role: "key" | "value";
  /**
   * WRAP_SINGLE_VALUE for a value of one column: true (ksqlDB's default for values) reads and writes `{"COL": v}`,
   * false the bare `v`. Keys of one column are always bare and keys of several always an object, as in ksqlDB.
   */
  readonly wrapSingleValue?: boolean;
  /** VALUE_DELIMITER / KEY_DELIMITER of DELIMITED: one character, or `TAB` / `SPACE`. Default `,`. */
  readonly delimiter?: string;
}

/**
 * Bytes of one side of a Kafka record to a row (values in column order) and back.
 *
 * `decode(null)` is a null record: for a value a tombstone (`null`), for a key a row of NULLs. A record that does not fit
 * the schema throws SqlSerdeError (code SQL_SERDE) naming the path and the problem; no bytes make it throw anything else.
 * `encode` expects values of the columns' types, as the engine's operators produce them; a `null` row is written as
 * null bytes.
 */
export interface Serde {
  readonly format: SerdeFormat;
  decode(bytes: Uint8Array | null): Row | null;
  encode(row: Row | null): Uint8Array | null;
}

/** For the formats: the rows a null record decodes to (a tombstone for values, NULL key columns for keys). */
export function nullRecord(columns: readonly SerdeColumn[], options: SerdeOptions): Row | null {
  return options.role === "key" ? columns.map(() => null) : null;
}
