// Typed errors of the store-and-forward buffer: each says what went wrong and where, under a stable code.
import { errorMessage } from "../../plc/index.ts";

export type BufferErrorCode =
  | "BUFFER_FULL"
  | "BUFFER_CLOSED"
  | "BUFFER_LOCKED"
  | "BUFFER_OPTIONS_INVALID"
  | "BUFFER_RECORD_INVALID"
  | "BUFFER_CORRUPT"
  | "BUFFER_ACK_OUT_OF_RANGE"
  | "BUFFER_IO";

/** Every error the buffer throws on its own account; anything else escaping it is a bug. */
export abstract class BufferError extends Error {
  abstract readonly code: BufferErrorCode;
}

/** Which cap a buffer reached. */
export type BufferCap = "bytes" | "age";

/**
 * The buffer is at a cap and its policy is `stop-sampling`: the batch was not stored. The caller stops sampling until
 * acknowledgements make room (`StoreAndForward.full` turns false).
 */
export class BufferFullError extends BufferError {
  override readonly code = "BUFFER_FULL";
  readonly cap: BufferCap;
  /** The measure that reached the cap: bytes (held plus the rejected batch) or the oldest record's age in ms. */
  readonly measured: number;
  readonly limit: number;

  constructor(dir: string, cap: BufferCap, measured: number, limit: number, batchRecords: number) {
    const what =
      cap === "bytes"
        ? `holding the batch would take it to ${measured} bytes, over maxBytes ${limit}`
        : `its oldest unacknowledged record is ${measured} ms old, over maxAgeMs ${limit}`;
    super(`store-and-forward buffer ${dir} is full (${cap} cap): ${what}; ${batchRecords} records rejected`);
    this.name = "BufferFullError";
    this.cap = cap;
    this.measured = measured;
    this.limit = limit;
  }
}

/** The buffer was closed, or broke on an I/O error earlier; reopen it to recover. */
export class BufferClosedError extends BufferError {
  override readonly code = "BUFFER_CLOSED";

  constructor(dir: string, why: string) {
    super(`store-and-forward buffer ${dir} is ${why}`);
    this.name = "BufferClosedError";
  }
}

/** Another live process (or this one) has the directory open: two writers would interleave their logs. */
export class BufferLockedError extends BufferError {
  override readonly code = "BUFFER_LOCKED";
  readonly pid: number;

  constructor(dir: string, pid: number) {
    super(`store-and-forward buffer ${dir} is already open by process ${pid}`);
    this.name = "BufferLockedError";
    this.pid = pid;
  }
}

export class BufferOptionsError extends BufferError {
  override readonly code = "BUFFER_OPTIONS_INVALID";
  readonly option: string;

  constructor(option: string, value: unknown, rule: string) {
    super(`store-and-forward buffer option ${option} = ${String(value)}: ${rule}`);
    this.name = "BufferOptionsError";
    this.option = option;
  }
}

/** A record the frame format cannot hold (a field too long for its length prefix). Nothing of the batch was stored. */
export class BufferRecordError extends BufferError {
  override readonly code = "BUFFER_RECORD_INVALID";
  readonly field: string;

  constructor(index: number, field: string, detail: string) {
    super(`record ${index} of the batch: ${field} ${detail}`);
    this.name = "BufferRecordError";
    this.field = field;
  }
}

/**
 * A frame whose checksum is right but whose contents do not parse: written by another format version, or a bug.
 * A wrong checksum is not this error: it is a torn or damaged frame, which the log handles by itself.
 */
export class BufferCorruptError extends BufferError {
  override readonly code = "BUFFER_CORRUPT";
  readonly field: string;
  /** Byte offset of the frame, in `file` when known, else in the buffer that was decoded. */
  readonly offset: number;
  readonly detail: string;
  readonly file: string | undefined;

  constructor(field: string, offset: number, detail: string, file?: string) {
    super(`buffer frame at byte ${offset}${file === undefined ? "" : ` of ${file}`}: ${field} ${detail}`);
    this.name = "BufferCorruptError";
    this.field = field;
    this.offset = offset;
    this.detail = detail;
    this.file = file;
  }
}

/** `ack(position)` named a record that was never appended (or whose write has not finished). */
export class BufferAckError extends BufferError {
  override readonly code = "BUFFER_ACK_OUT_OF_RANGE";
  readonly position: number;

  constructor(dir: string, position: number, lastWritten: number) {
    super(
      `store-and-forward buffer ${dir}: cannot ack position ${position}, the last written record is ${lastWritten}`,
    );
    this.name = "BufferAckError";
    this.position = position;
  }
}

/** The file system failed a write; the buffer stops taking records (a reopen recovers what reached the disk). */
export class BufferIoError extends BufferError {
  override readonly code = "BUFFER_IO";
  readonly file: string;

  constructor(file: string, operation: string, cause: unknown) {
    super(`store-and-forward buffer: ${operation} ${file} failed: ${errorMessage(cause)}`, {
      cause,
    });
    this.name = "BufferIoError";
    this.file = file;
  }
}
