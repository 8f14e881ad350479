// Tests the delivery checkpoint: the newest valid slot wins, and a torn or damaged slot falls back to the older one.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CHECKPOINT_FILE,
  Checkpoint,
  decodeSlot,
  encodeSlot,
  newestSlot,
  SLOT_BYTES,
} from "../../../src/connect/buffer/checkpoint.ts";
import { withDir } from "./fixture.ts";

describe("checkpoint slots", () => {
  it("round-trips a slot", () => {
    assert.deepEqual(decodeSlot(encodeSlot({ generation: 5, head: 123_456_789_012 }), 0), {
      generation: 5,
      head: 123_456_789_012,
    });
  });

  it("rejects a slot with any byte changed, and a short one", () => {
    const slot = encodeSlot({ generation: 1, head: 42 });
    for (let at = 0; at < SLOT_BYTES; at++) {
      const damaged = Buffer.from(slot);
      damaged[at]! ^= 0x04;
      assert.equal(decodeSlot(damaged, 0), undefined, `byte ${at}`);
    }
    assert.equal(decodeSlot(slot.subarray(0, SLOT_BYTES - 1), 0), undefined);
  });

  it("takes the higher generation of two valid slots, whichever slot holds it", () => {
    const older = encodeSlot({ generation: 6, head: 10 });
    const newer = encodeSlot({ generation: 7, head: 20 });
    assert.equal(newestSlot(Buffer.concat([older, newer]))?.head, 20);
    assert.equal(newestSlot(Buffer.concat([newer, older]))?.head, 20);
    assert.equal(newestSlot(Buffer.alloc(0)), undefined);
  });
});

describe("checkpoint file", () => {
  it("reopens at the last head written", () =>
    withDir(async (dir) => {
      const checkpoint = await Checkpoint.open(dir);
      assert.equal(checkpoint.head, undefined);
      for (const head of [3, 9, 27, 81]) await checkpoint.write(head);
      await checkpoint.close();
      const reopened = await Checkpoint.open(dir);
      assert.equal(reopened.head, 81);
      await reopened.close();
    }));

  it("falls back to the previous head when the newest slot is torn", () =>
    withDir(async (dir) => {
      const checkpoint = await Checkpoint.open(dir);
      await checkpoint.write(100);
      await checkpoint.write(200);
      await checkpoint.close();
      const path = join(dir, CHECKPOINT_FILE);
      const bytes = await readFile(path);
      // Generation 2 went to slot 0: tear its last bytes as an interrupted write would.
      bytes.fill(0, SLOT_BYTES - 6, SLOT_BYTES);
      await writeFile(path, bytes);
      const reopened = await Checkpoint.open(dir);
      assert.equal(reopened.head, 100);
      await reopened.write(300);
      await reopened.close();
      const again = await Checkpoint.open(dir);
      assert.equal(again.head, 300, "writing after a fallback continues above the surviving generation");
      await again.close();
    }));
});
