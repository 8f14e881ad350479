// Tests segment file names and the chunked walk over a segment's frames: chunk edges, big frames, torn and damaged ends.
import assert from "node:assert/strict";
import { open, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { frameSize, writeFrame } from "../../../src/connect/buffer/frame.ts";
import { listSegments, segmentFileName, type WalkEnd, walkFrames } from "../../../src/connect/buffer/segment.ts";
import { numbered, withDir } from "./fixture.ts";

/** Frames of records 0..count-1 (each `padding` bytes longer), back to back, and where each starts. */
function frames(count: number, padding = 0): { bytes: Buffer; starts: number[] } {
  const records = numbered(0, count, padding);
  const bytes = Buffer.alloc(records.reduce((sum, record, i) => sum + frameSize(record, i), 0));
  const starts: number[] = [];
  let at = 0;
  for (const [i, record] of records.entries()) {
    starts.push(at);
    at = writeFrame(bytes, at, i, 1000 + i, record);
  }
  return { bytes, starts };
}

async function walk(path: string, limit: number, chunkBytes: number, stopAt = Number.POSITIVE_INFINITY) {
  const seen: number[] = [];
  const handle = await open(path, "r");
  try {
    const end: WalkEnd = await walkFrames(
      handle,
      0,
      limit,
      (_chunk, _at, frame) => {
        if (frame.seq === stopAt) return false;
        seen.push(frame.seq);
        return true;
      },
      chunkBytes,
    );
    return { seen, end };
  } finally {
    await handle.close();
  }
}

describe("segment names", () => {
  it("pads positions so that names sort as numbers, and lists only segments, oldest first", () =>
    withDir(async (dir) => {
      assert.equal(segmentFileName(42), "00000000000000000042.seg");
      for (const base of [1000, 7, 90]) await writeFile(join(dir, segmentFileName(base)), "");
      await writeFile(join(dir, "checkpoint"), "");
      await writeFile(join(dir, "12.seg.tmp"), "");
      assert.deepEqual(
        (await listSegments(dir)).map((segment) => segment.base),
        [7, 90, 1000],
      );
    }));
});

describe("walking a segment's frames", () => {
  for (const chunkBytes of [64, 100, 4096]) {
    it(`visits every frame when reads are ${chunkBytes} bytes, frames crossing chunk edges`, () =>
      withDir(async (dir) => {
        const { bytes } = frames(50, 30);
        const path = join(dir, "s");
        await writeFile(path, bytes);
        const { seen, end } = await walk(path, bytes.length, chunkBytes);
        assert.deepEqual(
          seen,
          Array.from({ length: 50 }, (_, i) => i),
        );
        assert.deepEqual(end, { kind: "limit", offset: bytes.length });
      }));
  }

  it("stops before the frame the visitor refuses, at its offset", () =>
    withDir(async (dir) => {
      const { bytes, starts } = frames(20);
      const path = join(dir, "s");
      await writeFile(path, bytes);
      const { seen, end } = await walk(path, bytes.length, 64, 12);
      assert.equal(seen.length, 12);
      assert.deepEqual(end, { kind: "stopped", offset: starts[12] });
    }));

  it("calls a frame running past the limit torn, even when the file holds more", () =>
    withDir(async (dir) => {
      const { bytes, starts } = frames(10);
      const path = join(dir, "s");
      await writeFile(path, bytes);
      const { seen, end } = await walk(path, starts[7]! + 5, 4096);
      assert.equal(seen.length, 7);
      assert.deepEqual(end, { kind: "torn", offset: starts[7] });
    }));

  it("calls a file shorter than the limit torn where it ends", () =>
    withDir(async (dir) => {
      const { bytes, starts } = frames(10);
      const path = join(dir, "s");
      await writeFile(path, bytes.subarray(0, starts[4]! + 3));
      const { seen, end } = await walk(path, bytes.length, 64);
      assert.equal(seen.length, 4);
      assert.deepEqual(end, { kind: "torn", offset: starts[4] });
    }));

  it("reports damage with its offset and stops there", () =>
    withDir(async (dir) => {
      const { bytes, starts } = frames(10);
      bytes[starts[6]! + 40]! ^= 0x20;
      const path = join(dir, "s");
      await writeFile(path, bytes);
      const { seen, end } = await walk(path, bytes.length, 100);
      assert.equal(seen.length, 6);
      assert.equal(end.kind, "damaged");
      assert.equal(end.offset, starts[6]);
    }));
});
