// Tests the per-request cache of parsed reads: reuse per request object, the checks that see a changed request.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ParsedRead, parsedReads } from "../../src/plc/parsed-reads.ts";

/** A cache whose parser records every request it parses; addresses parse to their length, "bad" is refused. */
function counting() {
  const parsed: string[][] = [];
  const reads = parsedReads<number>((aliases, addresses): ParsedRead<number> => {
    parsed.push([...aliases]);
    const valid = new Map<string, number>();
    const failures = new Map<string, { code: "INVALID_ADDRESS"; message: string }>();
    aliases.forEach((alias, index) => {
      const address = addresses[index];
      if (address === "bad") failures.set(alias, { code: "INVALID_ADDRESS", message: "bad" });
      else valid.set(alias, String(address).length);
    });
    return { valid, failures, validAliases: [...valid.keys()], aliases, addresses };
  });
  return { reads, parsed };
}

describe("parsed reads", () => {
  it("keeps one parse per request object, so requests taking turns each reuse their own", () => {
    const { reads, parsed } = counting();
    const first = Object.freeze({ a: "R1", b: "R22" });
    const second = Object.freeze({ c: "R333", d: "bad" });
    const one = reads.get(first);
    const two = reads.get(second);
    for (let cycle = 0; cycle < 3; cycle++) {
      assert.equal(reads.get(first), one);
      assert.equal(reads.get(second), two);
    }
    assert.deepEqual(parsed, [
      ["a", "b"],
      ["c", "d"],
    ]);
    assert.deepEqual(
      [...one.valid],
      [
        ["a", 2],
        ["b", 3],
      ],
    );
    assert.deepEqual(two.validAliases, ["c"]);
    assert.deepEqual([...two.failures.keys()], ["d"]);
  });

  it("parses a request object again when its aliases or addresses changed", () => {
    const { reads, parsed } = counting();
    const tags: Record<string, string> = { a: "R1" };
    const before = reads.get(tags);
    assert.equal(reads.get(tags), before, "unchanged: reused");
    tags.a = "R22";
    const changed = reads.get(tags);
    assert.notEqual(changed, before);
    assert.equal(changed.valid.get("a"), 3);
    tags.b = "R1";
    assert.deepEqual(reads.get(tags).aliases, ["a", "b"], "an added alias");
    delete tags.a;
    assert.deepEqual(reads.get(tags).aliases, ["b"], "a removed alias");
    assert.equal(parsed.length, 4);
  });

  it("reuses the last parse for a new request object that asks for the same tags", () => {
    const { reads, parsed } = counting();
    const first = reads.get({ a: "R1", b: "R2" });
    assert.equal(reads.get({ a: "R1", b: "R2" }), first);
    assert.notEqual(reads.get({ b: "R2", a: "R1" }), first, "the same tags in another order are another request");
    assert.equal(parsed.length, 2);
  });

  it("starts afresh after clear()", () => {
    const { reads, parsed } = counting();
    const tags = Object.freeze({ a: "R1" });
    const before = reads.get(tags);
    reads.clear();
    assert.notEqual(reads.get(tags), before);
    assert.equal(parsed.length, 2);
  });
});
