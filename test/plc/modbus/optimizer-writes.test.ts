// Tests write planning: contiguous tags batched into function 15/16 requests, rounds for overlaps, limits and holes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  LearnedHoles,
  type PlanLimits,
  type PlannedWrite,
  planWrites,
  splitWrite,
  type WriteItem,
} from "../../../src/plc/modbus/optimizer.ts";

const LIMITS: PlanLimits = { maxRegistersPerRequest: 125, maxCoilsPerRequest: 2000 };

function registers(alias: string, address: number, values: number[], unitId = 1): WriteItem {
  return { alias, unitId, area: "holding-register", address, values };
}

function coils(alias: string, address: number, values: boolean[], unitId = 1): WriteItem {
  return { alias, unitId, area: "coil", address, values };
}

/** A plan as [unit, area, address, values, slices] rows per round, easy to compare. */
function summary(rounds: PlannedWrite[][]): unknown[][] {
  return rounds.map((round) =>
    round.map((w) => [
      w.unitId,
      w.area,
      w.address,
      [...w.values],
      w.slices.map((s) => (s.offset === 0 ? s.alias : `${s.alias}@${s.offset}`)),
    ]),
  );
}

const words = (count: number, from = 0) => Array.from({ length: count }, (_, index) => from + index);

describe("planWrites", () => {
  it("batches tags that follow each other without a gap into one request", () => {
    const plan = planWrites([registers("a", 10, [1, 2]), registers("b", 12, [3]), registers("c", 8, [7, 8])], LIMITS);
    assert.deepEqual(summary(plan), [[[1, "holding-register", 8, [7, 8, 1, 2, 3], ["c", "a", "b"]]]]);
  });

  it("never writes across a gap", () => {
    const plan = planWrites([registers("a", 10, [1]), registers("b", 12, [2])], LIMITS);
    assert.deepEqual(summary(plan), [
      [
        [1, "holding-register", 10, [1], ["a"]],
        [1, "holding-register", 12, [2], ["b"]],
      ],
    ]);
  });

  it("keeps units and areas apart", () => {
    const plan = planWrites(
      [registers("a", 0, [1]), registers("b", 1, [2], 2), coils("c", 1, [true]), coils("d", 2, [false])],
      LIMITS,
    );
    assert.deepEqual(summary(plan), [
      [
        [1, "coil", 1, [true, false], ["c", "d"]],
        [1, "holding-register", 0, [1], ["a"]],
        [2, "holding-register", 1, [2], ["b"]],
      ],
    ]);
  });

  it("puts a tag that overlaps an earlier one in a later round, so the later alias wins", () => {
    const plan = planWrites(
      [registers("a", 0, [1, 1]), registers("b", 1, [2]), registers("c", 2, [3]), registers("d", 1, [4, 4])],
      LIMITS,
    );
    assert.deepEqual(summary(plan), [
      [[1, "holding-register", 0, [1, 1, 3], ["a", "c"]]],
      [[1, "holding-register", 1, [2], ["b"]]],
      [[1, "holding-register", 1, [4, 4], ["d"]]],
    ]);
  });

  it("caps registers at 123 per request (function 16), whatever the read limit", () => {
    const plan = planWrites([registers("a", 0, words(100)), registers("b", 100, words(30, 100))], LIMITS);
    assert.deepEqual(
      plan[0]!.map((w) => [w.address, w.values.length]),
      [
        [0, 100],
        [100, 30],
      ],
    );
  });

  it("caps coils at 1968 per request (function 15)", () => {
    const plan = planWrites([coils("a", 0, Array<boolean>(2000).fill(true))], LIMITS);
    assert.deepEqual(
      plan[0]!.map((w) => [w.address, w.values.length, w.slices[0]!.offset]),
      [
        [0, 1968, 0],
        [1968, 32, 1968],
      ],
    );
  });

  it("cuts a tag longer than max-registers-per-request into slices that carry its values in order", () => {
    const plan = planWrites([registers("a", 5, words(25))], { ...LIMITS, maxRegistersPerRequest: 10 });
    assert.deepEqual(summary(plan), [
      [
        [1, "holding-register", 5, words(10), ["a"]],
        [1, "holding-register", 15, words(10, 10), ["a@10"]],
        [1, "holding-register", 25, words(5, 20), ["a@20"]],
      ],
    ]);
  });

  it("writes a tag on a learned hole alone", () => {
    const holes = new LearnedHoles();
    holes.add(1, "holding-register", 11, 12);
    const plan = planWrites([registers("a", 10, [1]), registers("b", 11, [2]), registers("c", 12, [3])], LIMITS, holes);
    assert.deepEqual(
      plan[0]!.map((w) => [w.address, w.values.length]),
      [
        [10, 1],
        [11, 1],
        [12, 1],
      ],
    );
  });

  it("plans nothing for nothing", () => {
    assert.deepEqual(planWrites([], LIMITS), []);
  });
});

describe("splitWrite", () => {
  it("splits a batched write back into one request per tag", () => {
    const [[block]] = planWrites([coils("a", 0, [true, false]), coils("b", 2, [true])], LIMITS) as [[PlannedWrite]];
    assert.deepEqual(summary([splitWrite(block)]), [
      [
        [1, "coil", 0, [true, false], ["a"]],
        [1, "coil", 2, [true], ["b"]],
      ],
    ]);
    assert.deepEqual(splitWrite(splitWrite(block)[0]!), [], "a lone tag cannot be split");
  });
});
