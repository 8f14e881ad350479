// Turns a consumed record of a stream or table into a row in the source's layout (key, value, header columns).

import type { CatalogColumn, SourceDescription } from "../analysis/catalog.ts";
import type { Row } from "../expressions/scope.ts";
import type { PlanSource } from "../plan/plan.ts";
import { createSerde } from "../serde/create-serde.ts";
import { SqlSerdeError } from "../serde/errors.ts";
import type { Serde } from "../serde/serde.ts";
import type { SqlStruct, SqlValue } from "../types/values.ts";
import type { InputRecord } from "./pipeline.ts";
import type { RecordContext } from "./record-context.ts";
import { compileTimestampReader, type TimestampReader } from "./timestamp-column.ts";
import { decodeWindowedKey } from "./windowed-key.ts";

/** Where each row column comes from: the key row, the value row, all headers, or one header. */
type Slot =
  | { readonly from: "key"; readonly index: number }
  | { readonly from: "value"; readonly index: number }
  | { readonly from: "headers" }
  | { readonly from: "header"; readonly name: string };

export function keySerde(source: SourceDescription): Serde {
  const columns = source.columns.filter((c) => c.role === "KEY");
  return createSerde(source.keyFormat, columns, { role: "key", delimiter: source.keyDelimiter });
}

export function valueSerde(source: SourceDescription): Serde {
  const columns = source.columns.filter((c) => c.role === "VALUE");
  return createSerde(source.valueFormat, columns, {
    role: "value",
    wrapSingleValue: source.wrapSingleValue,
    delimiter: source.valueDelimiter,
  });
}

export class SourceDecoder {
  readonly source: SourceDescription;
  readonly #key: Serde;
  readonly #value: Serde;
  readonly #slots: readonly Slot[];
  /** True when every column is a key or value column in that order: the row is the two rows joined. */
  readonly #plain: boolean;
  readonly #valueWidth: number;
  readonly #timestampIndex: number;
  readonly #readTimestamp: TimestampReader | undefined;

  constructor(plan: PlanSource) {
    const source = plan.source;
    this.source = source;
    this.#key = keySerde(source);
    this.#value = valueSerde(source);
    this.#slots = slotsOf(source.columns);
    this.#plain = source.columns.every((c) => c.role === "KEY" || c.role === "VALUE");
    this.#valueWidth = source.columns.filter((c) => c.role === "VALUE").length;
    this.#timestampIndex = plan.timestampColumn ?? -1;
    const column = plan.scope.columns[this.#timestampIndex];
    this.#readTimestamp =
      column === undefined ? undefined : compileTimestampReader(column.name, column.type, source.timestamp?.format);
  }

  /** The key columns; for a windowed source the window's bounds go to `ctx`. Throws SqlSerdeError. */
  decodeKey(record: InputRecord, ctx: RecordContext): Row {
    const window = this.source.window;
    if (window === undefined || record.key === null) return this.#key.decode(record.key)!;
    const split = decodeWindowedKey(record.key, window.kind, window.sizeMs);
    if (split === null) throw new SqlSerdeError("SQL_SERDE", "key", `too short for a ${window.kind} windowed key`);
    ctx.setWindow(split.window.start, split.window.end);
    return this.#key.decode(split.key)!;
  }

  /** The whole row; null for a tombstone of a table. A stream's null value reads as NULL value columns. */
  decode(record: InputRecord, ctx: RecordContext): Row | null {
    const key = this.decodeKey(record, ctx);
    let value = this.#value.decode(record.value);
    if (value === null) {
      if (this.source.kind === "TABLE") return null;
      value = new Array<SqlValue>(this.#valueWidth).fill(null);
    }
    if (this.#plain) return key.concat(value);
    const slots = this.#slots;
    const row = new Array<SqlValue>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.from === "key") row[i] = key[slot.index]!;
      else if (slot.from === "value") row[i] = value[slot.index]!;
      else if (slot.from === "headers") row[i] = headerList(record);
      else row[i] = lastHeader(record, slot.name);
    }
    return row;
  }

  /** Event time: the TIMESTAMP column when declared (and the row is there), else the record's timestamp. */
  eventTime(row: Row | null, record: InputRecord): number {
    if (this.#readTimestamp === undefined || row === null) return record.timestamp;
    return this.#readTimestamp(row[this.#timestampIndex]!);
  }
}

function slotsOf(columns: readonly CatalogColumn[]): Slot[] {
  let keys = 0;
  let values = 0;
  return columns.map((c): Slot => {
    if (c.role === "KEY") return { from: "key", index: keys++ };
    if (c.role === "VALUE") return { from: "value", index: values++ };
    if (c.role === "HEADERS") return { from: "headers" };
    return { from: "header", name: c.headerKey ?? c.name };
  });
}

/** HEADERS: ARRAY<STRUCT<KEY STRING, VALUE BYTES>> in record order. */
function headerList(record: InputRecord): SqlValue {
  return record.headers.map(([key, value]): SqlStruct => ({ KEY: key, VALUE: value }));
}

/** HEADER('k'): the bytes of the last header named k, as ksqlDB takes the last of repeated headers. */
function lastHeader(record: InputRecord, name: string): SqlValue {
  const headers = record.headers;
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0] === name) return headers[i]![1];
  return null;
}
