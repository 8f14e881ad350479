// Tests the buffer's frame codec both ways over hand-built vectors, and that it never takes damaged bytes for a record.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { crc32 } from "node:zlib";
import { checkFrame, decodeRecord, frameSize, writeFrame } from "../../../src/connect/buffer/frame.ts";
import { BufferCorruptError, type BufferedRecord, BufferRecordError } from "../../../src/connect/buffer/index.ts";

interface Vector {
  readonly name: string;
  readonly seq: number;
  readonly appendTime: number;
  readonly record: {
    readonly topic: string;
    readonly key: string | null;
    readonly value: string | null;
    readonly timestamp: number;
    readonly headers?: readonly [string, string][];
  };
  readonly frame: string;
}

const { vectors } = JSON.parse(readFileSync(new URL("frame-vectors.json", import.meta.url), "utf8")) as {
  vectors: Vector[];
};

function recordOf(vector: Vector): BufferedRecord {
  const bytes = (hex: string | null): Buffer | null => (hex === null ? null : Buffer.from(hex, "hex"));
  const { topic, key, value, timestamp, headers } = vector.record;
  const base = { topic, key: bytes(key), value: bytes(value), timestamp };
  return headers === undefined
    ? base
    : { ...base, headers: headers.map(([name, hex]) => [name, Buffer.from(hex, "hex")]) };
}

function encode(seq: number, appendTime: number, record: BufferedRecord): Buffer {
  const target = Buffer.alloc(frameSize(record, 0));
  assert.equal(writeFrame(target, 0, seq, appendTime, record), target.length);
  return target;
}

/** Rewrites the checksum so that only the body's own checks can catch what a test did to it. */
function reseal(frame: Buffer): Buffer {
  frame.writeUInt32LE(crc32(frame.subarray(4)), 0);
  return frame;
}

describe("buffer frame vectors", () => {
  for (const vector of vectors) {
    it(`encodes: ${vector.name}`, () => {
      assert.equal(encode(vector.seq, vector.appendTime, recordOf(vector)).toString("hex"), vector.frame);
    });

    it(`decodes: ${vector.name}`, () => {
      const frame = Buffer.from(vector.frame, "hex");
      const check = checkFrame(frame, 0);
      assert.deepEqual(check, { kind: "frame", seq: vector.seq, appendTime: vector.appendTime, end: frame.length });
      assert.deepEqual(decodeRecord(frame, 0, frame.length), recordOf(vector));
    });
  }

  it("finds a frame at an offset inside a larger buffer", () => {
    const frame = Buffer.from(vectors[1]!.frame, "hex");
    const padded = Buffer.concat([Buffer.from([1, 2, 3]), frame, Buffer.from([9])]);
    const check = checkFrame(padded, 3);
    assert.equal(check.kind, "frame");
    assert.equal(check.kind === "frame" && check.end, 3 + frame.length);
  });
});

describe("buffer frame damage", () => {
  const frame = Buffer.from(vectors[0]!.frame, "hex");

  it("calls every truncation short, saying how many bytes the frame needs", () => {
    for (let length = 0; length < frame.length; length++) {
      const check = checkFrame(frame.subarray(0, length), 0);
      assert.equal(check.kind, "short", `truncated to ${length}`);
      assert.equal(check.kind === "short" && check.needed, length < 8 ? 8 : frame.length, `truncated to ${length}`);
    }
  });

  it("never accepts a frame with any single byte changed", () => {
    for (let at = 0; at < frame.length; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const damaged = Buffer.from(frame);
        damaged[at]! ^= mask;
        assert.notEqual(checkFrame(damaged, 0).kind, "frame", `byte ${at} ^ ${mask}`);
      }
    }
  });

  it("calls a zero-filled tail damaged (the length is below any frame's)", () => {
    const check = checkFrame(Buffer.alloc(64), 0);
    assert.equal(check.kind, "damaged");
    assert.match(check.kind === "damaged" ? check.reason : "", /length field 0/);
  });

  it("names the field when a checksummed body lies about a length", () => {
    const lying = Buffer.from(frame);
    lying.writeUInt16LE(0xffff, 8 + 24);
    reseal(lying);
    assert.equal(checkFrame(lying, 0).kind, "frame");
    assert.throws(
      () => decodeRecord(lying, 0, lying.length),
      (error: unknown) =>
        error instanceof BufferCorruptError && error.code === "BUFFER_CORRUPT" && error.field === "topic",
    );
  });

  it("rejects a negative key length other than -1", () => {
    const lying = Buffer.from(frame);
    lying.writeInt32LE(-2, 8 + 24 + 2 + "plant.press-1".length);
    reseal(lying);
    assert.throws(() => decodeRecord(lying, 0, lying.length), /key length is -2/);
  });

  it("rejects a position that is not a whole non-negative number", () => {
    const lying = Buffer.from(frame);
    lying.writeDoubleLE(-1, 8);
    reseal(lying);
    assert.throws(() => checkFrame(lying, 0), /seq is -1/);
  });
});

describe("buffer frame limits", () => {
  it("refuses a topic longer than its length prefix, naming the record", () => {
    const record = { topic: "x".repeat(70_000), key: null, value: null, timestamp: 0 };
    assert.throws(
      () => frameSize(record, 3),
      (error: unknown) =>
        error instanceof BufferRecordError && error.field === "topic" && /record 3 of the batch/.test(error.message),
    );
  });

  it("sizes frames exactly, counting UTF-8 bytes", () => {
    const record = {
      topic: "Ä",
      key: Buffer.from("k"),
      value: null,
      timestamp: 0,
      headers: [["ü", Buffer.alloc(3)]] as const,
    };
    assert.equal(frameSize(record, 0), 8 + 36 + 2 + 1 + 2 + 2 + 4 + 3);
  });
});
