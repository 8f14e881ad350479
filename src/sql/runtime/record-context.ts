// The record being processed: one mutable object per pipeline, read by compiled expressions and processing-log entries.

import type { EvalContext } from "../expressions/scope.ts";

/*
 * Operators run synchronously, one record at a time, so a single context object serves every record: the pipeline sets
 * its fields as a record enters and as rows move on (a window's bounds, an aggregate's time), instead of allocating an
 * EvalContext per row.
 */
export class RecordContext implements EvalContext {
  rowTime = 0;
  rowPartition = 0;
  rowOffset = 0n;
  windowStart: number | undefined = undefined;
  windowEnd: number | undefined = undefined;
  /** The consumed record itself (after a repartition, rowPartition/rowOffset still name the original one). */
  topic = "";
  partition = 0;
  offset = 0n;

  enter(topic: string, partition: number, offset: bigint): void {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.rowPartition = partition;
    this.rowOffset = offset;
    this.windowStart = undefined;
    this.windowEnd = undefined;
  }

  setWindow(start: number | undefined, end: number | undefined): void {
    this.windowStart = start;
    this.windowEnd = end;
  }
}
