// The internal format of repartition records: the rows that move to their new key's partition, with their metadata.

import type { Row } from "../expressions/scope.ts";
import { SqlSerdeError } from "../serde/errors.ts";
import { decodeState, encodeState, type StateValue } from "../types/state-codec.ts";
import type { RecordContext } from "./record-context.ts";

/**
 * What crosses the topic: the row (`next`) and, for a table change, the row it replaces (`previous`, to retract from
 * the aggregate), plus the event time, partition and offset of the record they came from, so that ROWTIME,
 * ROWPARTITION and ROWOFFSET mean the same after the move. State-codec JSON keeps every SQL value exact.
 */
export interface MovedRows {
  readonly next: Row | null;
  readonly previous: Row | null;
  readonly rowTime: number;
  readonly partition: number;
  readonly offset: bigint;
}

export function encodeMoved(next: Row | null, previous: Row | null, ctx: RecordContext): Buffer {
  const body: StateValue[] = [
    next as StateValue[] | null,
    previous as StateValue[] | null,
    ctx.rowTime,
    ctx.rowPartition,
    ctx.rowOffset,
  ];
  return Buffer.from(JSON.stringify(encodeState(body)));
}

export function decodeMoved(bytes: Uint8Array | null): MovedRows {
  if (bytes === null) throw malformed("a repartition record has no value");
  let body: StateValue;
  try {
    body = decodeState(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")));
  } catch (error) {
    throw malformed(`a repartition record is not state JSON: ${error instanceof Error ? error.message : error}`);
  }
  if (!Array.isArray(body) || body.length !== 5) throw malformed("a repartition record is not [next, previous, …]");
  const [next, previous, rowTime, partition, offset] = body;
  if (!isRowOrNull(next) || !isRowOrNull(previous) || typeof rowTime !== "number" || typeof partition !== "number") {
    throw malformed("a repartition record has fields of the wrong kinds");
  }
  if (typeof offset !== "bigint") throw malformed("a repartition record's offset is not a BIGINT");
  return { next: next as Row | null, previous: previous as Row | null, rowTime, partition, offset };
}

function isRowOrNull(value: StateValue | undefined): boolean {
  return value === null || Array.isArray(value);
}

function malformed(problem: string): SqlSerdeError {
  return new SqlSerdeError("SQL_SERDE", "value", problem);
}
