// The buffer's log: its segments, the one queue every file operation goes through (so writes, reads, deletions and
// checkpoints never race), group-committed writes, and the delivery head with the checkpoint that keeps it.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Checkpoint } from "./checkpoint.ts";
import { BufferClosedError, BufferIoError } from "./errors.ts";
import { type CorruptionEvent, LogReader } from "./log-reader.ts";
import type { Cursor, LiveSegment, Recovered } from "./recovery.ts";
import { type FrameVisitor, SegmentAppender, segmentFileName } from "./segment.ts";

interface Batch {
  readonly segment: LiveSegment;
  readonly firstSeq: number;
  readonly count: number;
  readonly appendTime: number;
}

interface PendingWrite extends Batch {
  readonly bytes: Buffer;
  readonly resolve: (position: number) => void;
  readonly reject: (error: unknown) => void;
}

/** Recent batches, to know a head record's append time without reading it back. */
const RECENT_BATCHES = 1024;
const CACHED_CURSORS = 16;

export class SegmentLog {
  readonly #dir: string;
  readonly #checkpoint: Checkpoint;
  readonly #syncIntervalMs: number;
  readonly #reader: LogReader;
  /** Oldest first, never empty: the last is where appends go; the first holds the head (or is that last one). */
  readonly #segments: LiveSegment[];
  #nextSeq: number;
  #committedSeq: number;
  #head: number;
  #headCursor: Cursor;
  /** Where recent walks ended, by position: an ack of a peeked batch finds its new head here without reading. */
  readonly #cursors = new Map<number, Cursor>();
  readonly #recent: Batch[] = [];
  readonly #pending: PendingWrite[] = [];
  #writeQueued = false;
  #headPersist: Promise<void> | undefined;
  readonly #doomed: LiveSegment[] = [];
  #queue: Promise<void> = Promise.resolve();
  #appender: SegmentAppender | undefined;
  #broken: BufferIoError | undefined;
  #lastSync = performance.now();

  constructor(
    dir: string,
    checkpoint: Checkpoint,
    recovered: Recovered,
    syncIntervalMs: number,
    onCorruption: (event: CorruptionEvent) => void,
  ) {
    this.#dir = dir;
    this.#checkpoint = checkpoint;
    this.#syncIntervalMs = syncIntervalMs;
    this.#segments = [...recovered.segments];
    this.#reader = new LogReader(this.#segments, onCorruption);
    this.#nextSeq = recovered.nextSeq;
    this.#committedSeq = recovered.nextSeq;
    this.#head = recovered.head;
    this.#headCursor = recovered.headCursor;
    if (this.#segments.length === 0) this.#roll();
  }

  /** Records lost to damaged segment data. */
  get corrupted(): number {
    return this.#reader.corrupted;
  }

  get head(): number {
    return this.#head;
  }

  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** Every position below this one is in a file. */
  get committedSeq(): number {
    return this.#committedSeq;
  }

  throwIfBroken(): void {
    if (this.#broken !== undefined) {
      throw new BufferClosedError(this.#dir, `broken by an earlier I/O error (${this.#broken.message}); reopen it`);
    }
  }

  /** Bytes of the frames from the head on (a little more while the head's offset is being looked up). */
  heldBytes(): number {
    let bytes = 0;
    for (const segment of this.#segments) bytes += segment.bytes;
    const first = this.#segments[0];
    if (first !== undefined && this.#headCursor.base === first.base) bytes -= this.#headCursor.offset;
    return bytes;
  }

  /** Append time of the head record; when only its segment is known, that segment's first (older, never younger). */
  oldestAppendTime(): number | undefined {
    const head = this.#head;
    if (head >= this.#nextSeq) return undefined;
    if (this.#headCursor.seq === head && this.#headCursor.appendTime !== undefined) return this.#headCursor.appendTime;
    const batch = this.#recent.find((b) => b.firstSeq <= head && head < b.firstSeq + b.count);
    return batch?.appendTime ?? this.#segments[0]?.firstAppendTime;
  }

  /** The oldest segment holding undelivered records. */
  oldest(): LiveSegment | undefined {
    return this.#head < this.#nextSeq ? this.#segments[0] : undefined;
  }

  /** The segment a batch of `bytes` goes to: the last one, or a new one when that is full or spans too long. */
  segmentFor(bytes: number, now: number, segmentBytes: number, spanMs: number): LiveSegment {
    const last = this.#segments.at(-1)!;
    if (last.bytes === 0) return last;
    const tooLong = last.firstAppendTime !== undefined && now - last.firstAppendTime > spanMs;
    return last.bytes + bytes > segmentBytes || tooLong ? this.#roll() : last;
  }

  /** Takes an encoded batch (positions from `nextSeq`); resolves with its last position once written. */
  assign(segment: LiveSegment, bytes: Buffer, count: number, now: number): Promise<number> {
    const batch: Batch = { segment, firstSeq: this.#nextSeq, count, appendTime: now };
    segment.bytes += bytes.length;
    segment.firstAppendTime ??= now;
    segment.lastAppendTime = now;
    this.#nextSeq += count;
    this.#recent.push(batch);
    if (this.#recent.length > RECENT_BATCHES) this.#recent.shift();
    return new Promise((resolve, reject) => {
      this.#pending.push({ ...batch, bytes, resolve, reject });
      if (this.#writeQueued) return;
      this.#writeQueued = true;
      this.#queue = this.#queue.then(() => this.#writePending());
    });
  }

  /** Drops the oldest segment's undelivered records (the policy `drop-oldest`); returns how many. */
  dropOldest(): number {
    if (this.#segments.length === 1) this.#roll();
    const next = this.#segments[1]!;
    const dropped = next.base - this.#head;
    // Moving the head past the segment prunes it; the checkpoint records the new head before the file goes.
    this.#setHead(next.base, { seq: next.base, base: next.base, offset: 0, appendTime: next.firstAppendTime });
    return dropped;
  }

  /** Moves the head to `head` (records before it are delivered); resolves once the checkpoint holds it. */
  advanceHead(next: number): Promise<void> {
    const head = this.#reader.pastDamage(next);
    this.#setHead(head, this.#cursors.get(head));
    return this.#persistHead();
  }

  /**
   * Walks written frames from position `from` (the head at the latest) in order, across segments, until `visit`
   * returns false or the written data ends. Damage in a segment that is not the last is reported and skipped.
   */
  walk(from: number, visit: FrameVisitor): Promise<Cursor> {
    const start = Math.max(from, this.#head);
    if (start >= this.#committedSeq) {
      return Promise.resolve({ seq: start, base: start, offset: 0, appendTime: undefined });
    }
    return this.#run(async () => {
      const end = await this.#reader.walk(await this.#locate(start), visit);
      this.#cursors.set(end.seq, end);
      if (this.#cursors.size > CACHED_CURSORS) this.#cursors.delete(this.#cursors.keys().next().value!);
      return end;
    });
  }

  /** Finishes queued writes and checkpoints, syncs them, and closes every file. */
  close(): Promise<void> {
    return this.#run(async () => {
      try {
        await this.#appender?.sync();
        await this.#checkpoint.sync();
      } finally {
        await this.#appender?.close();
        await this.#reader.close();
        await this.#checkpoint.close();
      }
    });
  }

  #run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(op);
    this.#queue = result.then(settled, settled);
    return result;
  }

  #roll(): LiveSegment {
    const base = this.#nextSeq;
    const segment: LiveSegment = {
      base,
      path: join(this.#dir, segmentFileName(base)),
      bytes: 0,
      committed: 0,
      firstAppendTime: undefined,
      lastAppendTime: undefined,
    };
    this.#segments.push(segment);
    this.#prune();
    return segment;
  }

  #setHead(head: number, cursor: Cursor | undefined): void {
    this.#head = head;
    for (const seq of this.#cursors.keys()) if (seq < head) this.#cursors.delete(seq);
    const last = this.#segments.at(-1)!;
    if (cursor !== undefined) this.#headCursor = cursor;
    else if (head === this.#nextSeq && last.committed === last.bytes) {
      this.#headCursor = { seq: head, base: last.base, offset: last.committed, appendTime: undefined };
    } else if (this.#headCursor.seq !== head) {
      // A read error here surfaces again on the next peek, which reads the same bytes.
      this.#run(async () => {
        if (this.#headCursor.seq < this.#head) this.#headCursor = await this.#locate(this.#head);
      }).catch(settled);
    }
    this.#prune();
  }

  /** Segments wholly before the head are deleted, after the checkpoint that makes them redundant. */
  #prune(): void {
    const segments = this.#segments;
    let pruned = false;
    while (segments.length > 1 && segments[1]!.base <= this.#head) {
      this.#doomed.push(segments.shift()!);
      pruned = true;
    }
    if (pruned) this.#persistHead().catch(settled);
  }

  #persistHead(): Promise<void> {
    if (this.#headPersist !== undefined) return this.#headPersist;
    const persisted = this.#run(async () => {
      this.#headPersist = undefined;
      try {
        await this.#checkpoint.write(this.#head);
        const doomed = this.#doomed.splice(0);
        if (doomed.length > 0) await this.#checkpoint.sync();
        for (const segment of doomed) {
          if (this.#appender?.base === segment.base) await this.#closeAppender();
          await this.#reader.forget(segment);
          await rm(segment.path, { force: true });
        }
      } catch (error) {
        throw this.#break(join(this.#dir, "checkpoint"), "recording the head in", error);
      }
    });
    this.#headPersist = persisted;
    return persisted;
  }

  async #writePending(): Promise<void> {
    this.#writeQueued = false;
    const batch = this.#pending.splice(0);
    let done = 0;
    try {
      this.throwIfBroken();
      while (done < batch.length) {
        const segment = batch[done]!.segment;
        let end = done;
        while (end < batch.length && batch[end]!.segment === segment) end++;
        const group = batch.slice(done, end);
        const bytes = group.length === 1 ? group[0]!.bytes : Buffer.concat(group.map((write) => write.bytes));
        // A segment dropped before its bytes reached the file needs no file.
        if (segment.base >= this.#segments[0]!.base) await this.#write(segment, bytes);
        const last = group.at(-1)!;
        this.#committedSeq = last.firstSeq + last.count;
        for (const write of group) write.resolve(write.firstSeq + write.count - 1);
        done = end;
      }
      if (performance.now() - this.#lastSync >= this.#syncIntervalMs) await this.#sync();
    } catch (error) {
      const failure = this.#break(batch[done]?.segment.path ?? this.#dir, "writing", error);
      for (const write of batch.slice(done)) write.reject(failure);
    }
  }

  async #write(segment: LiveSegment, bytes: Buffer): Promise<void> {
    if (this.#appender?.base !== segment.base) {
      await this.#closeAppender();
      this.#appender = await SegmentAppender.open(this.#dir, segment.base);
    }
    await this.#appender.append(bytes);
    segment.committed += bytes.length;
  }

  async #sync(): Promise<void> {
    await this.#appender?.sync();
    this.#lastSync = performance.now();
  }

  /** A segment is left synced, so only the last one can lose data on a power loss. */
  async #closeAppender(): Promise<void> {
    const appender = this.#appender;
    if (appender === undefined) return;
    this.#appender = undefined;
    await appender.sync();
    await appender.close();
    this.#lastSync = performance.now();
  }

  #locate(seq: number): Promise<Cursor> {
    return this.#reader.locate(seq, [this.#headCursor, ...this.#cursors.values()]);
  }

  #break(file: string, operation: string, error: unknown): BufferIoError {
    this.#broken ??= error instanceof BufferIoError ? error : new BufferIoError(file, operation, error);
    return this.#broken;
  }
}

/** For promises whose failure reaches a caller through another promise, or is reported again by the next read. */
function settled(): void {}
