// Tests the seeded generator: same seed, same sequence; bounds hold; every random value fits its type.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDataTypeSpec } from "../../../src/plc/data-type-spec.ts";
import { randomValue, SeededRandom } from "../../../src/plc/simulated/random.ts";
import { coerceValue } from "../../../src/plc/value-coercion.ts";
import { DATA_TYPES } from "../../../src/plc/values.ts";

describe("SeededRandom", () => {
  it("repeats its sequence for a seed and differs for another", () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 8 }, () => random.uint32());
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  it("stays within bounds and reaches both ends of a small range", () => {
    const random = new SeededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = random.intBetween(-2, 2);
      assert.ok(value >= -2 && value <= 2);
      seen.add(value);
      const float = random.float();
      assert.ok(float >= 0 && float < 1);
    }
    assert.deepEqual([...seen].sort(), [-1, -2, 0, 1, 2]);
  });

  it("spreads 32-bit values over the whole range", () => {
    const random = new SeededRandom(3);
    let high = 0;
    for (let i = 0; i < 1000; i++) if (random.uint32() >= 2 ** 31) high++;
    assert.ok(high > 400 && high < 600, `about half should have the top bit set, got ${high}/1000`);
  });
});

describe("randomValue", () => {
  it("produces values that pass the write check of their own type, arrays included", () => {
    const random = new SeededRandom(99);
    for (const type of DATA_TYPES) {
      for (const text of [type, `${type}[3]`]) {
        const spec = parseDataTypeSpec(text);
        for (let i = 0; i < 50; i++) {
          const value = randomValue(spec, random);
          const checked = coerceValue(spec, value);
          assert.ok(checked.ok, `${text}: ${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v))}`);
          assert.deepEqual(checked.value, value);
        }
      }
    }
  });

  it("keeps random strings within a declared length", () => {
    const random = new SeededRandom(5);
    for (let i = 0; i < 100; i++) {
      const value = randomValue(parseDataTypeSpec("STRING(3)"), random);
      assert.ok(typeof value === "string" && value.length >= 1 && value.length <= 3);
    }
  });
});
