// The connector's on-disk store-and-forward buffer: an append-only segmented log of records waiting for Kafka.
//
// Sampling appends, delivery peeks, produces and acks; each record has a position (a log-wide sequence number that never
// goes back, even across restarts). Everything appended and not acked is replayed in order after a close, a crash or a
// SIGKILL. When Kafka is healthy and the buffer is empty the runtime may produce directly and skip the buffer: that is
// the runtime's decision, not the buffer's.
//
// Durability: an append resolves once its batch was handed to the kernel with write(); the data file is fdatasync'ed at
// most every `syncIntervalMs` (on a write after that interval), at segment rolls and at close. So SIGKILL (the process
// dies, the kernel lives, the page cache survives) loses nothing that resolved; a power loss can lose appends of the last
// `syncIntervalMs`, or more if appends stopped before the next sync (the kernel's writeback then decides). The checkpoint
// of acks is written per ack but synced only before segment deletions and at close: losing it replays records (duplicates
// downstream), never loses them. A crash between a produce and its ack also replays: delivery is at least once, unless
// the sender keeps the position it delivered in Kafka with the records, as exactly-once sources do (source/offsets.ts).
//
// Caps are enforced a segment at a time. Segments roll at `segmentBytes` (default maxBytes/16) or when their first record
// is older than maxAgeMs/16, so `drop-oldest` drops whole oldest segments: for bytes, until the buffer is back under
// maxBytes; for age, those whose newest record is past maxAgeMs (records can outlive maxAgeMs by one segment's span).
// `stop-sampling` never drops: `append` rejects with BufferFullError and `full` stays true until acks make room.
//
// Identity: `id` is random, made when the directory is first opened and kept in it (see buffer-id.ts). A position means
// something only together with the id: a new or emptied directory starts again at 0 under a new id.
import { mkdir } from "node:fs/promises";
import { errorMessage } from "../../plc/index.ts";
import type { BufferFullPolicy } from "../config/model.ts";
import { loadBufferId } from "./buffer-id.ts";
import { Checkpoint } from "./checkpoint.ts";
import { DirectoryLock } from "./dir-lock.ts";
import { BufferAckError, type BufferCap, BufferClosedError, BufferFullError, BufferOptionsError } from "./errors.ts";
import { type BufferedRecord, decodeRecord, frameSize, writeFrame } from "./frame.ts";
import type { CorruptionEvent } from "./log-reader.ts";
import { recover } from "./recovery.ts";
import { SegmentLog } from "./segment-log.ts";

export interface CapEvent {
  readonly cap: BufferCap;
  readonly policy: BufferFullPolicy;
  /** Records dropped by this event (0 with `stop-sampling`, which rejects instead). */
  readonly dropped: number;
  /** The bytes held or the oldest record's age (ms) that reached the cap, and the cap. */
  readonly measured: number;
  readonly limit: number;
}

export interface StoreAndForwardOptions {
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly whenFull: BufferFullPolicy;
  /** Size at which the log starts a new segment file (default maxBytes/16, within 4 KiB..64 MiB). */
  readonly segmentBytes?: number;
  /** Longest time between fdatasync calls while appending (default 1000; 0 syncs every batch). */
  readonly syncIntervalMs?: number;
  /** Milliseconds since the epoch; append times and the age cap follow it (default Date.now). */
  readonly clock?: () => number;
  /** Told every time a cap is reached (default: a process warning). The runtime logs it loudly. */
  readonly onCapReached?: (event: CapEvent) => void;
  /** Told when damaged segment data is skipped (default: a process warning). Never happens from crashes alone. */
  readonly onCorruption?: (event: CorruptionEvent) => void;
}

/** Records in order from `first`; record i is at position first + i, and `position` (the last one) is what to ack. */
export interface BufferBatch {
  readonly first: number;
  readonly position: number;
  readonly records: readonly BufferedRecord[];
}

export interface BufferDepth {
  /** Appended and neither acked nor dropped. */
  readonly records: number;
  /** Their bytes in the log (frames included). */
  readonly bytes: number;
  /** Append time (ms since the epoch) of the oldest of them; undefined when empty. */
  readonly oldestTimestamp: number | undefined;
}

/** What opening found. */
export interface Recovery {
  readonly records: number;
  readonly segments: number;
  /** Bytes of a torn last write cut off the log. */
  readonly tornBytes: number;
  /** The position the first record appended after this open gets: everything before it was stored by earlier runs. */
  readonly nextPosition: number;
}

type Cap = { readonly cap: BufferCap; readonly measured: number; readonly limit: number };

const MiB = 1024 * 1024;

export class StoreAndForward {
  readonly dir: string;
  /** This directory's identity; positions are comparable only under the same id. */
  readonly id: string;
  readonly recovery: Recovery;
  readonly #maxBytes: number;
  readonly #maxAgeMs: number;
  readonly #policy: BufferFullPolicy;
  readonly #segmentBytes: number;
  readonly #clock: () => number;
  readonly #onCapReached: (event: CapEvent) => void;
  readonly #log: SegmentLog;
  readonly #lock: DirectoryLock;
  #dropped = 0;
  #full: BufferFullError | undefined;
  #closed = false;

  private constructor(
    dir: string,
    id: string,
    options: StoreAndForwardOptions,
    log: SegmentLog,
    lock: DirectoryLock,
    recovery: Recovery,
  ) {
    this.dir = dir;
    this.id = id;
    this.recovery = recovery;
    this.#maxBytes = options.maxBytes;
    this.#maxAgeMs = options.maxAgeMs;
    this.#policy = options.whenFull;
    this.#segmentBytes = options.segmentBytes ?? Math.min(64 * MiB, Math.max(4096, Math.floor(options.maxBytes / 16)));
    this.#clock = options.clock ?? Date.now;
    this.#onCapReached = guarded(
      options.onCapReached ?? ((event) => warn(capMessage(dir, event), "FABRIK_BUFFER_CAP")),
    );
    this.#log = log;
    this.#lock = lock;
  }

  /** Opens (creating) the buffer in `dir` and recovers what an earlier process left: unacked records replay first. */
  static async open(dir: string, options: StoreAndForwardOptions): Promise<StoreAndForward> {
    validate(options);
    await mkdir(dir, { recursive: true });
    const lock = await DirectoryLock.take(dir);
    let checkpoint: Checkpoint | undefined;
    try {
      const id = await loadBufferId(dir);
      checkpoint = await Checkpoint.open(dir);
      const recovered = await recover(dir, checkpoint);
      const onCorruption = guarded(
        options.onCorruption ?? ((event) => warn(corruptionMessage(event), "FABRIK_BUFFER_CORRUPT")),
      );
      const log = new SegmentLog(dir, checkpoint, recovered, options.syncIntervalMs ?? 1000, onCorruption);
      const recovery = {
        records: recovered.nextSeq - recovered.head,
        segments: recovered.segments.length,
        tornBytes: recovered.tornBytes,
        nextPosition: recovered.nextSeq,
      };
      return new StoreAndForward(dir, id, options, log, lock, recovery);
    } catch (error) {
      await checkpoint?.close();
      await lock.release();
      throw error;
    }
  }

  /**
   * Stores a batch, in order after everything appended before; resolves with the last record's position once the batch
   * was written. With `stop-sampling` at a cap it rejects with BufferFullError and stores nothing.
   */
  append(records: readonly BufferedRecord[]): Promise<number> {
    try {
      return this.#append(records);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The oldest records not yet acked, at most `max`, that are already written; from `after + 1` when given, which lets
   * delivery read ahead of its acks. Empty (with `position` = the position before `first`) when nothing is waiting.
   */
  peek(max: number, after?: number): Promise<BufferBatch> {
    if (this.#closed) return Promise.reject(new BufferClosedError(this.dir, "closed"));
    if (this.#policy === "drop-oldest") this.#dropExpired(this.#clock());
    const log = this.#log;
    const from = Math.max(after === undefined ? log.head : after + 1, log.head);
    const records: BufferedRecord[] = [];
    let first = from;
    if (max < 1) return Promise.resolve({ first, position: first - 1, records });
    const walked = log.walk(from, (chunk, at, frame) => {
      if (records.length === 0) first = frame.seq;
      else if (records.length === max || frame.seq !== first + records.length) return false;
      records.push(decodeRecord(chunk, at, frame.end));
      return true;
    });
    return walked.then(() => ({ first, position: first + records.length - 1, records }));
  }

  /** Marks every record up to `position` delivered; resolves once that is recorded. Fully acked segments are deleted. */
  ack(position: number): Promise<void> {
    if (this.#closed) return Promise.reject(new BufferClosedError(this.dir, "closed"));
    const log = this.#log;
    if (position < log.head) return Promise.resolve();
    if (position >= log.committedSeq)
      return Promise.reject(new BufferAckError(this.dir, position, log.committedSeq - 1));
    const persisted = log.advanceHead(position + 1);
    if (this.#full !== undefined && this.#capReached(1, this.#clock()) === undefined) this.#full = undefined;
    return persisted;
  }

  get depth(): BufferDepth {
    const log = this.#log;
    return { records: log.nextSeq - log.head, bytes: log.heldBytes(), oldestTimestamp: log.oldestAppendTime() };
  }

  /** Records dropped by the `drop-oldest` policy since open. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Records lost to damaged segment data since open (never from crashes: a torn tail was never acknowledged). */
  get corrupted(): number {
    return this.#log.corrupted;
  }

  /** `stop-sampling` only: an append was refused at a cap and acks have not brought the buffer back under both caps. */
  get full(): boolean {
    return this.#full !== undefined;
  }

  /** Finishes pending writes, syncs, and releases the directory. Appends already made are kept. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#log.close();
    } finally {
      await this.#lock.release();
    }
  }

  #append(records: readonly BufferedRecord[]): Promise<number> {
    if (this.#closed) throw new BufferClosedError(this.dir, "closed");
    const log = this.#log;
    log.throwIfBroken();
    if (records.length === 0) return Promise.resolve(log.nextSeq - 1);
    const sizes = records.map(frameSize);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    const now = this.#clock();
    if (this.#policy === "stop-sampling") this.#refuseAtCap(total, now, records.length);
    const segment = log.segmentFor(total, now, this.#segmentBytes, this.#maxAgeMs / 16);
    const bytes = Buffer.allocUnsafe(total);
    const firstSeq = log.nextSeq;
    let at = 0;
    for (const [i, record] of records.entries()) at = writeFrame(bytes, at, firstSeq + i, now, record);
    const written = log.assign(segment, bytes, records.length, now);
    if (this.#policy === "drop-oldest") {
      this.#dropExpired(now);
      this.#dropOverBytes();
    }
    return written;
  }

  #refuseAtCap(batchBytes: number, now: number, batchRecords: number): void {
    const reached = this.#capReached(batchBytes, now);
    if (reached === undefined) return;
    const error = new BufferFullError(this.dir, reached.cap, reached.measured, reached.limit, batchRecords);
    if (this.#full === undefined) this.#onCapReached({ ...reached, policy: this.#policy, dropped: 0 });
    this.#full = error;
    throw error;
  }

  #capReached(batchBytes: number, now: number): Cap | undefined {
    const bytes = this.#log.heldBytes() + batchBytes;
    if (bytes > this.#maxBytes) return { cap: "bytes", measured: bytes, limit: this.#maxBytes };
    const oldest = this.#log.oldestAppendTime();
    if (oldest !== undefined && now - oldest > this.#maxAgeMs) {
      return { cap: "age", measured: now - oldest, limit: this.#maxAgeMs };
    }
    return undefined;
  }

  #dropExpired(now: number): void {
    let dropped = 0;
    let oldestAge = 0;
    for (let oldest = this.#log.oldest(); oldest !== undefined; oldest = this.#log.oldest()) {
      const newest = oldest.lastAppendTime ?? oldest.firstAppendTime;
      if (newest === undefined || now - newest <= this.#maxAgeMs) break;
      oldestAge = Math.max(oldestAge, now - (oldest.firstAppendTime ?? newest));
      dropped += this.#log.dropOldest();
    }
    if (dropped > 0) this.#reportDrop("age", dropped, oldestAge, this.#maxAgeMs);
  }

  #dropOverBytes(): void {
    let dropped = 0;
    const measured = this.#log.heldBytes();
    while (this.#log.heldBytes() > this.#maxBytes && this.#log.oldest() !== undefined)
      dropped += this.#log.dropOldest();
    if (dropped > 0) this.#reportDrop("bytes", dropped, measured, this.#maxBytes);
  }

  #reportDrop(cap: BufferCap, dropped: number, measured: number, limit: number): void {
    this.#dropped += dropped;
    this.#onCapReached({ cap, policy: "drop-oldest", dropped, measured, limit });
  }
}

function validate(options: StoreAndForwardOptions): void {
  const positive = (name: string, value: number | undefined, min: number): void => {
    if (value !== undefined && !(Number.isFinite(value) && value >= min)) {
      throw new BufferOptionsError(name, value, `must be a finite number >= ${min}`);
    }
  };
  positive("maxBytes", options.maxBytes, 1);
  positive("maxAgeMs", options.maxAgeMs, 1);
  positive("segmentBytes", options.segmentBytes, 4096);
  positive("syncIntervalMs", options.syncIntervalMs, 0);
  if (options.whenFull !== "drop-oldest" && options.whenFull !== "stop-sampling") {
    throw new BufferOptionsError("whenFull", options.whenFull, 'must be "drop-oldest" or "stop-sampling"');
  }
}

function capMessage(dir: string, event: CapEvent): string {
  const unit = event.cap === "bytes" ? "bytes" : "ms";
  const outcome =
    event.policy === "drop-oldest" ? `dropped the ${event.dropped} oldest records` : "refusing records (stop sampling)";
  return `store-and-forward buffer ${dir} reached its ${event.cap} cap (${event.measured} ${unit} > ${event.limit}): ${outcome}`;
}

function corruptionMessage(event: CorruptionEvent): string {
  return `store-and-forward buffer: ${event.file} is damaged at byte ${event.offset} (${event.reason}); skipped ${event.lost} records`;
}

/** A listener that throws must not turn a stored batch into a failed append, nor stop a read. */
function guarded<E>(listener: (event: E) => void): (event: E) => void {
  return (event) => {
    try {
      listener(event);
    } catch (error) {
      warn(`store-and-forward buffer listener failed: ${errorMessage(error)}`, "FABRIK_BUFFER_LISTENER");
    }
  };
}

function warn(message: string, code: string): void {
  process.emitWarning(message, { code });
}
