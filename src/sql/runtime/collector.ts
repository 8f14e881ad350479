// What one `process` call hands back: records to produce, rows for the client, processing-log entries, LIMIT.

import type { OutputRecord, PipelineOutput, ProcessingLogEntry, ResultRow } from "./pipeline.ts";
import type { RecordContext } from "./record-context.ts";

export class Collector {
  #records: OutputRecord[] = [];
  #rows: ResultRow[] = [];
  #errors: ProcessingLogEntry[] = [];
  readonly #limit: number;
  readonly #ctx: RecordContext;
  #results = 0;
  /** True once LIMIT results went out; nothing more is emitted. */
  done = false;

  constructor(limit: number | undefined, ctx: RecordContext) {
    this.#limit = limit ?? Number.POSITIVE_INFINITY;
    this.#ctx = ctx;
    if (this.#limit <= 0) this.done = true;
  }

  /** A record for a repartition or changelog topic: not a result, so LIMIT does not count it. */
  internal(record: OutputRecord): void {
    this.#records.push(record);
  }

  /** A sink record; false (and dropped) once LIMIT is reached. */
  sinkRecord(record: OutputRecord): boolean {
    if (!this.#counts()) return false;
    this.#records.push(record);
    return true;
  }

  /** A row for the client; false (and dropped) once LIMIT is reached. */
  clientRow(row: ResultRow): boolean {
    if (!this.#counts()) return false;
    this.#rows.push(row);
    return true;
  }

  #counts(): boolean {
    if (this.done) return false;
    if (++this.#results >= this.#limit) this.done = true;
    return true;
  }

  /** A processing-log entry about the record being processed. */
  fail(code: string, message: string): void {
    const ctx = this.#ctx;
    this.#errors.push({ code, message, topic: ctx.topic, partition: ctx.partition, offset: ctx.offset });
  }

  /** An error thrown while processing the record: its own code when it has one (SQL_SERDE, …), else SQL_EVAL. */
  failWith(error: unknown): void {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    this.fail(typeof code === "string" && code.startsWith("SQL_") ? code : "SQL_EVAL", message);
  }

  take(): PipelineOutput {
    const output = { records: this.#records, rows: this.#rows, errors: this.#errors, done: this.done };
    this.#records = [];
    this.#rows = [];
    this.#errors = [];
    return output;
  }
}
