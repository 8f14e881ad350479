// Reading the buffer's log in order across segments: finding a position, walking frames, stepping over damaged data.

import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { BufferCorruptError } from "./errors.ts";
import type { Cursor, LiveSegment } from "./recovery.ts";
import { type FrameVisitor, walkFrames } from "./segment.ts";

/** Damaged data skipped while reading: `lost` records between `offset` of `file` and the next segment. */
export interface CorruptionEvent {
  readonly file: string;
  readonly offset: number;
  readonly reason: string;
  readonly lost: number;
}

/** Reads frames up to each segment's committed bytes; the caller runs it on the log's queue, never beside a delete. */
export class LogReader {
  corrupted = 0;
  /** The log's own list, which the log keeps changing: always read afresh, never indexed across an await. */
  readonly #segments: readonly LiveSegment[];
  readonly #onCorruption: (event: CorruptionEvent) => void;
  /** Position ranges lost to damage, reported once and then stepped over. */
  readonly #skipped: { readonly from: number; readonly to: number }[] = [];
  #open: { readonly base: number; readonly handle: FileHandle } | undefined;

  constructor(segments: readonly LiveSegment[], onCorruption: (event: CorruptionEvent) => void) {
    this.#segments = segments;
    this.#onCorruption = onCorruption;
  }

  /** `seq`, or where reading resumes when `seq` was lost to damage already reported. */
  pastDamage(seq: number): number {
    return this.#skipped.find((skip) => skip.from <= seq && seq < skip.to)?.to ?? seq;
  }

  /** The cursor of position `target`, walking from the nearest of `known` before it in its segment. */
  locate(target: number, known: Iterable<Cursor>): Promise<Cursor> {
    const seq = this.pastDamage(target);
    const segment = this.#segments.findLast((s) => s.base <= seq) ?? this.#segments[0]!;
    let start: Cursor = { seq: segment.base, base: segment.base, offset: 0, appendTime: segment.firstAppendTime };
    for (const cursor of known) {
      if (cursor.base === segment.base && cursor.seq <= seq && cursor.seq > start.seq) start = cursor;
    }
    if (start.seq >= seq) return Promise.resolve(start);
    return this.walk(start, (_chunk, _at, frame) => frame.seq < seq);
  }

  /**
   * Walks frames from `from` until `visit` returns false or the written data ends, and returns where it stopped.
   * Positions must follow one another; a gap, a bad frame or a short segment that is not the last is reported and
   * skipped to the next segment. In the last segment (its torn tail was cut at open) damage is an error.
   */
  async walk(from: Cursor, visit: FrameVisitor): Promise<Cursor> {
    let segment = this.#segments.find((s) => s.base === from.base) ?? this.#segments[0]!;
    let offset = segment.base === from.base ? from.offset : 0;
    let expected = segment.base === from.base ? from.seq : segment.base;
    for (;;) {
      let damage: string | undefined;
      if (offset < segment.committed) {
        let nextAppendTime: number | undefined;
        const end = await walkFrames(await this.#handle(segment), offset, segment.committed, (chunk, at, frame) => {
          if (frame.seq !== expected) {
            damage = `position ${frame.seq} where ${expected} was due`;
            return false;
          }
          if (!visit(chunk, at, frame)) {
            nextAppendTime = frame.appendTime;
            return false;
          }
          expected++;
          return true;
        });
        offset = end.offset;
        if (end.kind === "stopped" && damage === undefined) {
          return { seq: expected, base: segment.base, offset, appendTime: nextAppendTime };
        }
        if (end.kind === "damaged") damage = end.reason;
        if (end.kind === "torn") damage = "a frame runs past the written bytes";
      }
      const next = this.#segments.find((s) => s.base > segment.base);
      if (damage === undefined && (next === undefined || segment.committed < segment.bytes)) {
        return { seq: expected, base: segment.base, offset, appendTime: undefined };
      }
      if (next === undefined) throw new BufferCorruptError("frame", offset, damage ?? "", segment.path);
      if (damage !== undefined || expected < next.base) {
        const lost = next.base - expected;
        this.corrupted += lost;
        this.#skipped.push({ from: expected, to: next.base });
        this.#onCorruption({ file: segment.path, offset, reason: damage ?? "the segment ends early", lost });
      }
      segment = next;
      offset = 0;
      expected = next.base;
    }
  }

  /** Closes the file of a segment about to be deleted. */
  async forget(segment: LiveSegment): Promise<void> {
    if (this.#open?.base === segment.base) await this.close();
  }

  async close(): Promise<void> {
    const current = this.#open;
    this.#open = undefined;
    await current?.handle.close();
  }

  async #handle(segment: LiveSegment): Promise<FileHandle> {
    if (this.#open?.base === segment.base) return this.#open.handle;
    await this.close();
    const handle = await open(segment.path, "r");
    this.#open = { base: segment.base, handle };
    return handle;
  }
}
