// Segment files of the buffer's log: their names, listing them, appending whole batches, and walking their frames.

import type { FileHandle } from "node:fs/promises";
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { checkFrame, type FrameCheck } from "./frame.ts";

const SUFFIX = ".seg";
const NAME = /^(\d{20})\.seg$/;
/** Big enough that a read returns many frames, small enough that a peek of a few records stays cheap. */
const READ_CHUNK_BYTES = 256 * 1024;

/** A segment is named for the position of its first record, zero-padded so names sort as numbers. */
export function segmentFileName(base: number): string {
  return `${String(base).padStart(20, "0")}${SUFFIX}`;
}

export interface SegmentFile {
  readonly base: number;
  readonly path: string;
}

/** The segment files of `dir`, oldest first; other files are left alone. */
export async function listSegments(dir: string): Promise<SegmentFile[]> {
  const found: SegmentFile[] = [];
  for (const name of await readdir(dir)) {
    const match = NAME.exec(name);
    if (match?.[1] !== undefined) found.push({ base: Number(match[1]), path: join(dir, name) });
  }
  return found.sort((a, b) => a.base - b.base);
}

/** Why a walk over frames stopped, and where: `offset` is the first byte not consumed. */
export type WalkEnd =
  | { readonly kind: "limit"; readonly offset: number }
  | { readonly kind: "stopped"; readonly offset: number }
  | { readonly kind: "torn"; readonly offset: number }
  | { readonly kind: "damaged"; readonly offset: number; readonly reason: string };

/** Called per whole, checksum-valid frame; `frameAt` indexes `chunk`. Return false to stop before this frame. */
export type FrameVisitor = (chunk: Buffer, frameAt: number, frame: FrameCheck & { readonly kind: "frame" }) => boolean;

/**
 * Walks the frames of a segment from `from` up to `limit` (bytes known to be written), reading chunks, never a frame at a
 * time. A frame that runs past `limit` or past the end of the file is a torn write; bytes that are not a frame are damage.
 */
export async function walkFrames(
  handle: FileHandle,
  from: number,
  limit: number,
  visit: FrameVisitor,
  chunkBytes = READ_CHUNK_BYTES,
): Promise<WalkEnd> {
  let at = from;
  let want = chunkBytes;
  while (at < limit) {
    const size = Math.min(limit - at, want);
    const chunk = Buffer.allocUnsafe(size);
    const { bytesRead } = await handle.read(chunk, 0, size, at);
    const view = chunk.subarray(0, bytesRead);
    let pos = 0;
    want = chunkBytes;
    for (;;) {
      if (at + pos === limit) return { kind: "limit", offset: limit };
      const check = checkFrame(view, pos);
      if (check.kind === "frame") {
        if (!visit(view, pos, check)) return { kind: "stopped", offset: at + pos };
        pos = check.end;
        continue;
      }
      if (check.kind === "damaged") return { kind: "damaged", offset: at + pos, reason: check.reason };
      // Short: the frame continues past this chunk. Past the limit or the file's end, it was never fully written.
      if (at + pos + check.needed > limit || bytesRead < size) return { kind: "torn", offset: at + pos };
      if (pos === 0) want = check.needed;
      break;
    }
    at += pos;
  }
  return { kind: "limit", offset: at };
}

/** The open, append-only end of the log: one segment file taking whole batches. */
export class SegmentAppender {
  readonly base: number;
  readonly path: string;
  readonly #handle: FileHandle;

  private constructor(base: number, path: string, handle: FileHandle) {
    this.base = base;
    this.path = path;
    this.#handle = handle;
  }

  /** Opens (creating) the segment for appending; a new file is made durable in its directory. */
  static async open(dir: string, base: number): Promise<SegmentAppender> {
    const path = join(dir, segmentFileName(base));
    const handle = await open(path, "a");
    try {
      await syncDirectory(dir);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new SegmentAppender(base, path, handle);
  }

  /** Writes all of `bytes` at the end of the file; a short write is continued, not reported as done. */
  async append(bytes: Buffer): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.#handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return this.#handle.datasync();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

/** Makes a directory's entries (files created or removed) durable: without it a new segment can vanish on power loss. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
