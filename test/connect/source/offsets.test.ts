// Tests the offset records of exactly-once sources: keys by connector and source, values checked before they count.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  decodeSourceOffset,
  encodeSourceOffset,
  isSourceOffsetKey,
  type SourceOffset,
  sourceOffsetKey,
} from "../../../src/connect/source/offsets.ts";

interface Vector {
  readonly text: string;
  readonly offset: SourceOffset | null;
}

const { values } = JSON.parse(readFileSync(new URL("offset-values.json", import.meta.url), "utf8")) as {
  values: Vector[];
};

describe("source offsets", () => {
  it("keys a source by the JSON array of its connector and name, any character allowed", () => {
    assert.equal(sourceOffsetKey("line", "press").toString(), '["line","press"]');
    const key = sourceOffsetKey("line/1", 'press "A"');
    assert.ok(isSourceOffsetKey(key, "line/1", 'press "A"'));
    assert.ok(!isSourceOffsetKey(key, "line", '1/press "A"'), "a slash in a name does not shift the boundary");
  });

  it("recognises its key however it is spaced, and nothing else", () => {
    assert.ok(isSourceOffsetKey(Buffer.from('[ "line", "press" ]'), "line", "press"));
    for (const other of [
      '["line","robot"]',
      '["line"]',
      '["line","press","x"]',
      '{"line":"press"}',
      "line/press",
      "[",
    ]) {
      assert.ok(!isSourceOffsetKey(Buffer.from(other), "line", "press"), other);
    }
    assert.ok(!isSourceOffsetKey(null, "line", "press"));
  });

  it("decodes each value of the vectors to its offset, or to nothing", () => {
    for (const { text, offset } of values) {
      assert.deepEqual(decodeSourceOffset(Buffer.from(text)), offset ?? undefined, text);
    }
  });

  it("encodes what it decodes", () => {
    const offset = { bufferId: "4f1c2b6e-9d0a-4e51-8c3f-2a7b9e6d1f00", position: 123_456_789_012 };
    assert.equal(encodeSourceOffset(offset).toString(), JSON.stringify(offset));
    assert.deepEqual(decodeSourceOffset(encodeSourceOffset(offset)), offset);
  });
});
