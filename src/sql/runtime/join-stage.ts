// The stream-table join: the table's rows kept per partition from its topic, looked up by the stream row's key.

import type { CatalogColumn } from "../analysis/catalog.ts";
import { type CompiledExpression, compile } from "../expressions/compile.ts";
import type { Row } from "../expressions/scope.ts";
import type { JoinStage as JoinPlan } from "../plan/plan.ts";
import type { Serde } from "../serde/serde.ts";
import { compileCast } from "../types/cast.ts";
import { formatType, typesEqual } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import type { Collector } from "./collector.ts";
import { SqlRuntimeError } from "./errors.ts";
import { keyText } from "./key-text.ts";
import type { PartitionState, TableRowKey } from "./partition-state.ts";
import type { InputRecord } from "./pipeline.ts";
import type { RecordContext } from "./record-context.ts";
import { keySerde, SourceDecoder } from "./source-decoder.ts";

export class JoinStage {
  readonly inner: boolean;
  readonly decoder: SourceDecoder;
  /** Writes a stream-side key as the table's key bytes, so that a rekeyed row lands in its table row's partition. */
  readonly keySerde: Serde;
  readonly #ctx: RecordContext;
  readonly #collector: Collector;
  readonly #streamKey: CompiledExpression;
  readonly #convert: (value: SqlValue) => SqlValue;
  /** The NULL columns a LEFT join appends when the table has no row. */
  readonly #missing: readonly SqlValue[];
  /** When the stream was rekeyed for the join, its key is the last column of the row and is read from there. */
  readonly #rekeyed: boolean;

  constructor(plan: JoinPlan, ctx: RecordContext, collector: Collector) {
    const table = plan.table.source;
    const keys = table.columns.filter((c: CatalogColumn) => c.role === "KEY");
    if (keys.length !== 1) {
      throw new SqlRuntimeError(
        "SQL_PLAN_UNSUPPORTED",
        `a join needs a table with one key column; ${table.name} has ${keys.length}`,
      );
    }
    const keyType = keys[0]!.type;
    const streamType = plan.streamKey.type;
    this.#convert = streamType === null || typesEqual(streamType, keyType) ? (v) => v : castTo(streamType, keyType);
    this.inner = plan.type === "INNER";
    this.decoder = new SourceDecoder(plan.table);
    this.keySerde = keySerde(table);
    this.#ctx = ctx;
    this.#collector = collector;
    this.#streamKey = compile(plan.streamKey);
    this.#missing = plan.table.scope.columns.map(() => null);
    this.#rekeyed = plan.rekey !== undefined;
  }

  /** A stream-side key value in the table key's type. */
  toTableKey(value: SqlValue): SqlValue {
    return this.#convert(value);
  }

  /** A record of the table's topic: its row replaces (or a tombstone deletes) the key's row in the partition. */
  apply(record: InputRecord, state: PartitionState): void {
    if (record.key === null) {
      this.#collector.fail("SQL_NULL_KEY", `a record of table ${this.decoder.source.name} has no key`);
      return;
    }
    const ctx = this.#ctx;
    const key = this.decoder.decodeKey(record, ctx);
    const row = this.decoder.decode(record, ctx);
    if (row === null) state.tableRows.delete(rowKey(key[0]!));
    else state.tableRows.set(rowKey(key[0]!), row);
  }

  /** The stream row with the table's columns after it; null when an INNER join finds no row. */
  join(row: Row, state: PartitionState): Row | null {
    const key = this.#convert(this.#rekeyed ? row[row.length - 1]! : this.#streamKey(row, this.#ctx));
    const match = key === null ? undefined : state.tableRows.get(rowKey(key));
    if (match === undefined) return this.inner ? null : row.concat(this.#missing);
    return row.concat(match);
  }
}

/**
 * A table row's map key: a primitive key value itself (one key column of one type, so a Map's SameValueZero is the
 * equality; no text to build per record), else its key text (DECIMAL, BYTES, structs: objects equal by content).
 */
function rowKey(value: SqlValue): TableRowKey {
  return typeof value === "object" && value !== null ? keyText([value]) : value;
}

function castTo(from: Parameters<typeof compileCast>[0], to: Parameters<typeof compileCast>[1]) {
  try {
    return compileCast(from, to);
  } catch {
    throw new SqlRuntimeError(
      "SQL_PLAN_UNSUPPORTED",
      `a join key of type ${formatType(from)} cannot be compared with a table key of type ${formatType(to)}`,
    );
  }
}
