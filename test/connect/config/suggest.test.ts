// Tests "did you mean": typos close enough to a known key get a suggestion, unrelated words do not.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closestName, editDistance, unknownKeyMessage } from "../../../src/connect/config/suggest.ts";

describe("closestName", () => {
  const keys = ["name", "interval", "subscribe", "tags", "topic", "default.topic", "connectionString"];

  it("finds the key a typo was meant to be", () => {
    assert.equal(closestName("intervall", keys), "interval");
    assert.equal(closestName("default-topic", keys), "default.topic");
    assert.equal(closestName("conectionString", keys), "connectionString");
    assert.equal(closestName("ConnectionString", keys), "connectionString");
    assert.equal(closestName("nmae", keys), "name");
  });

  it("suggests nothing for words that are not near any key", () => {
    assert.equal(closestName("subscription", keys), undefined);
    assert.equal(closestName("xyz", keys), undefined);
    assert.equal(closestName("anything", []), undefined);
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and a swap of neighbours as one edit each", () => {
    assert.equal(editDistance("abc", "abc"), 0);
    assert.equal(editDistance("abc", "abcd"), 1);
    assert.equal(editDistance("abc", "ac"), 1);
    assert.equal(editDistance("abc", "axc"), 1);
    assert.equal(editDistance("abc", "acb"), 1);
    assert.equal(editDistance("", "abc"), 3);
  });
});

describe("unknownKeyMessage", () => {
  it("suggests the near key, or lists the known ones", () => {
    assert.equal(
      unknownKeyMessage("intervall", ["interval", "tags"]),
      "unknown key 'intervall'; did you mean 'interval'?",
    );
    assert.equal(
      unknownKeyMessage("colour", ["interval", "tags"]),
      "unknown key 'colour'; expected one of interval, tags",
    );
  });
});
