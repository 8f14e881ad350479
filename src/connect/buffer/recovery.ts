// Opening a buffer directory after a close or a crash: which segments hold undelivered records, where the head is, and
// where the log really ends (a torn last write is cut off: its append never resolved, so nobody was told it was stored).
import { open, rm, truncate } from "node:fs/promises";
import type { Checkpoint } from "./checkpoint.ts";
import { listSegments, type SegmentFile, syncDirectory, walkFrames } from "./segment.ts";

/** A segment as the log tracks it; `bytes` counts what was appended, `committed` what reached the file. */
export interface LiveSegment {
  readonly base: number;
  readonly path: string;
  bytes: number;
  committed: number;
  firstAppendTime: number | undefined;
  /** The newest record's append time; for a recovered middle segment an upper bound (the next one's first). */
  lastAppendTime: number | undefined;
}

/** Where the walk of the log stands: `seq` is the next record's position, found at `offset` of segment `base`. */
export interface Cursor {
  readonly seq: number;
  readonly base: number;
  readonly offset: number;
  /** That next record's append time, when it was seen. */
  readonly appendTime: number | undefined;
}

export interface Recovered {
  /** Oldest first; may be empty (the log then starts a segment at `nextSeq`). */
  readonly segments: LiveSegment[];
  readonly nextSeq: number;
  readonly head: number;
  readonly headCursor: Cursor;
  /** Bytes cut off the end of the last segment: a write torn by a crash, never acknowledged to its caller. */
  readonly tornBytes: number;
}

interface Scan {
  readonly records: number;
  readonly end: number;
  readonly firstAppendTime: number | undefined;
  readonly lastAppendTime: number | undefined;
}

/** Scans the segment files of `dir` against the checkpoint, cuts a torn tail, and deletes what was delivered. */
export async function recover(dir: string, checkpoint: Checkpoint): Promise<Recovered> {
  const files = await listSegments(dir);
  const last = files.at(-1);
  const lastScan = last === undefined ? undefined : await scan(last, Number.POSITIVE_INFINITY);
  let tornBytes = 0;
  if (last !== undefined && lastScan !== undefined) {
    tornBytes = lastScan.size - lastScan.end;
    if (tornBytes > 0) await truncate(last.path, lastScan.end);
  }
  const logEnd = last === undefined || lastScan === undefined ? 0 : last.base + lastScan.records;
  // A checkpoint past the log's end means delivered records were deleted; positions still never go back.
  const nextSeq = Math.max(logEnd, checkpoint.head ?? 0);
  const head = Math.max(checkpoint.head ?? 0, files[0]?.base ?? nextSeq);

  const end = (i: number): number => files[i + 1]?.base ?? logEnd;
  const delivered = files.filter((_, i) => end(i) <= head);
  if (delivered.length > 0) {
    // The checkpoint must outlive the files it makes redundant, or positions could be reused after a power loss.
    await checkpoint.write(head);
    await checkpoint.sync();
    for (const file of delivered) await rm(file.path, { force: true });
    await syncDirectory(dir);
  }
  const kept = files.filter((_, i) => end(i) > head);
  const segments: LiveSegment[] = [];
  for (const [i, file] of kept.entries()) {
    const info = file === last && lastScan !== undefined ? lastScan : await scan(file, 1);
    const size = file === last && lastScan !== undefined ? lastScan.end : info.size;
    segments.push({
      base: file.base,
      path: file.path,
      bytes: size,
      committed: size,
      firstAppendTime: info.firstAppendTime,
      lastAppendTime: file === last ? info.lastAppendTime : undefined,
    });
    const previous = segments[i - 1];
    if (previous !== undefined) previous.lastAppendTime = info.firstAppendTime ?? previous.firstAppendTime;
  }
  const headCursor = await locateInFile(segments[0], head);
  return { segments, nextSeq, head, headCursor, tornBytes };
}

/**
 * Reads up to `maxRecords` frames of a segment from its start, stopping at the first that is torn, damaged or out of
 * sequence: only a consecutive run of positions from the segment's base is the log.
 */
async function scan(file: SegmentFile, maxRecords: number): Promise<Scan & { readonly size: number }> {
  const handle = await open(file.path, "r");
  try {
    const { size } = await handle.stat();
    let records = 0;
    let firstAppendTime: number | undefined;
    let lastAppendTime: number | undefined;
    const end = await walkFrames(
      handle,
      0,
      size,
      (_chunk, _at, frame) => {
        if (records === maxRecords || frame.seq !== file.base + records) return false;
        firstAppendTime ??= frame.appendTime;
        lastAppendTime = frame.appendTime;
        records++;
        return true;
      },
      maxRecords === 1 ? 4096 : undefined,
    );
    return { records, end: end.offset, firstAppendTime, lastAppendTime, size };
  } finally {
    await handle.close();
  }
}

/** The cursor of position `seq` in `segment` (whose committed bytes are all on disk), found by walking its frames. */
async function locateInFile(segment: LiveSegment | undefined, seq: number): Promise<Cursor> {
  if (segment === undefined) return { seq, base: seq, offset: 0, appendTime: undefined };
  if (segment.base === seq) return { seq, base: seq, offset: 0, appendTime: segment.firstAppendTime };
  const handle = await open(segment.path, "r");
  try {
    let appendTime: number | undefined;
    const end = await walkFrames(handle, 0, segment.committed, (_chunk, _at, frame) => {
      if (frame.seq < seq) return true;
      appendTime = frame.appendTime;
      return false;
    });
    // Damage before `seq` leaves the cursor at the damage: the first read reports it and moves on.
    return { seq, base: segment.base, offset: end.offset, appendTime };
  } finally {
    await handle.close();
  }
}
