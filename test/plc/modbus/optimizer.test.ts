// Tests the Modbus request planner: the plan tables in optimizer-plans/*.json, splitting, learned holes, seeded sets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ModbusAddress, parseModbusAddress } from "../../../src/plc/modbus/address.ts";
import {
  DEFAULT_MAX_BIT_GAP,
  DEFAULT_MAX_REGISTER_GAP,
  gapsOf,
  LearnedHoles,
  type PlannedRead,
  type PlanSettings,
  planReads,
  REQUEST_OVERHEAD_BYTES,
  type ReadArea,
  splitRead,
  type TagSlice,
} from "../../../src/plc/modbus/optimizer.ts";
import { seededRandom } from "../../support/random.ts";
import { loadVectorFiles } from "./vectors.ts";

interface PlanCase {
  readonly name: string;
  readonly settings?: Partial<PlanSettings>;
  readonly holes?: readonly { unitId: number; area: ReadArea; start: number; end: number }[];
  readonly tags: Readonly<Record<string, string>>;
  readonly requests: readonly {
    unitId: number;
    area: ReadArea;
    address: number;
    quantity: number;
    /** `alias` for a slice from the tag's start, `alias@offset` for a later slice. */
    slices: readonly string[];
  }[];
  readonly unsupported?: readonly string[];
}

const DEFAULTS: PlanSettings = { defaultUnitId: 1, maxRegistersPerRequest: 125, maxCoilsPerRequest: 2000 };

function parseAll(tags: Readonly<Record<string, string>>): Map<string, ModbusAddress> {
  return new Map(Object.entries(tags).map(([alias, text]) => [alias, parseModbusAddress(text)]));
}

function sliceName(slice: TagSlice): string {
  return slice.offset === 0 ? slice.alias : `${slice.alias}@${slice.offset}`;
}

/** What must hold for any plan: every register of every tag is carried once per tag, within the limits. */
function assertPlanIsSound(
  tags: ReadonlyMap<string, ModbusAddress>,
  settings: PlanSettings,
  requests: readonly PlannedRead[],
) {
  const covered = new Map<string, number>();
  for (const request of requests) {
    const bits = request.area === "coil" || request.area === "discrete-input";
    const limit = bits ? settings.maxCoilsPerRequest : settings.maxRegistersPerRequest;
    assert.ok(request.quantity >= 1 && request.quantity <= limit, `request of ${request.quantity} exceeds ${limit}`);
    assert.ok(request.address >= 0 && request.address + request.quantity <= 0x10000);
    const maxGap = bits
      ? (settings.maxBitGap ?? DEFAULT_MAX_BIT_GAP)
      : (settings.maxRegisterGap ?? DEFAULT_MAX_REGISTER_GAP);
    for (const gap of gapsOf(request)) assert.ok(gap.end - gap.start <= maxGap, "bridged a gap wider than allowed");
    for (const slice of request.slices) {
      const tag = tags.get(slice.alias)!;
      assert.equal(tag.area, request.area);
      assert.equal(tag.unitId ?? settings.defaultUnitId, request.unitId);
      assert.equal(slice.address, tag.address + slice.offset);
      assert.ok(
        slice.address >= request.address && slice.address + slice.quantity <= request.address + request.quantity,
      );
      covered.set(slice.alias, (covered.get(slice.alias) ?? 0) + slice.quantity);
    }
    const first = Math.min(...request.slices.map((s) => s.address));
    const last = Math.max(...request.slices.map((s) => s.address + s.quantity));
    assert.deepEqual([request.address, request.address + request.quantity], [first, last], "reads past its tags");
  }
  for (const [alias, tag] of tags) {
    if (tag.area !== "extended-register") assert.equal(covered.get(alias), tag.quantity, `${alias} not carried whole`);
  }
}

describe("planReads: plan tables", () => {
  for (const { file, content } of loadVectorFiles<{ cases: readonly PlanCase[] }>("optimizer-plans")) {
    describe(file, () => {
      for (const c of content.cases) {
        it(c.name, () => {
          const settings = { ...DEFAULTS, ...c.settings };
          const holes = new LearnedHoles();
          for (const hole of c.holes ?? []) holes.add(hole.unitId, hole.area, hole.start, hole.end);
          const tags = parseAll(c.tags);
          const plan = planReads(tags, settings, holes);
          const actual = plan.requests.map((r) => ({
            unitId: r.unitId,
            area: r.area,
            address: r.address,
            quantity: r.quantity,
            slices: r.slices.map(sliceName),
          }));
          assert.deepEqual(actual, c.requests);
          assert.deepEqual(plan.unsupported, c.unsupported ?? []);
          assertPlanIsSound(tags, settings, plan.requests);
        });
      }
    });
  }
});

describe("the gap rule", () => {
  it("derives the gap limits from one request's overhead in bytes", () => {
    assert.equal(REQUEST_OVERHEAD_BYTES, 101);
    assert.equal(DEFAULT_MAX_REGISTER_GAP, 50);
    assert.equal(DEFAULT_MAX_BIT_GAP, 808);
    // Bridging the widest gap costs less than the request it saves; one more register would cost more.
    assert.ok(2 * DEFAULT_MAX_REGISTER_GAP <= REQUEST_OVERHEAD_BYTES);
    assert.ok(2 * (DEFAULT_MAX_REGISTER_GAP + 1) > REQUEST_OVERHEAD_BYTES);
    assert.ok(
      DEFAULT_MAX_BIT_GAP / 8 <= REQUEST_OVERHEAD_BYTES && (DEFAULT_MAX_BIT_GAP + 1) / 8 > REQUEST_OVERHEAD_BYTES,
    );
  });
});

describe("splitRead", () => {
  const plan = (tags: Record<string, string>) => planReads(parseAll(tags), DEFAULTS).requests;

  it("splits a block with gaps into its gapless runs first", () => {
    const [block] = plan({
      a: "holding-register:1:DINT",
      b: "holding-register:3",
      c: "holding-register:20",
      d: "holding-register:40:REAL",
    });
    assert.equal(block?.quantity, 41);
    const parts = splitRead(block!);
    assert.deepEqual(
      parts.map((p) => [p.address, p.quantity, p.slices.map(sliceName)]),
      [
        [0, 3, ["a", "b"]],
        [19, 1, ["c"]],
        [39, 2, ["d"]],
      ],
    );
  });

  it("splits a gapless run into its distinct ranges, repeats together", () => {
    const [block] = plan({
      a: "holding-register:1:DINT",
      b: "holding-register:3",
      b2: "holding-register:3",
      c: "holding-register:2:DINT",
    });
    const parts = splitRead(block!);
    assert.deepEqual(
      parts.map((p) => [p.address, p.quantity, p.slices.map(sliceName)]),
      [
        [0, 2, ["a"]],
        [1, 2, ["c"]],
        [2, 1, ["b", "b2"]],
      ],
    );
    assert.deepEqual(splitRead(parts[2]!), [], "one range cannot be split further");
  });

  it("finds no gaps in a gapless block", () => {
    const [block] = plan({ a: "holding-register:1:DINT", b: "holding-register:3" });
    assert.deepEqual(gapsOf(block!), []);
  });
});

describe("LearnedHoles", () => {
  const [block] = planReads(
    parseAll({ a: "holding-register:1", b: "holding-register:11", c: "holding-register:21:DINT" }),
    DEFAULTS,
  ).requests;

  it("learns the parts that failed alone", () => {
    const holes = new LearnedHoles();
    const parts = splitRead(block!);
    holes.learn(block!, [parts[1]!]);
    assert.deepEqual(holes.list(), [{ unitId: 1, area: "holding-register", start: 10, end: 11 }]);
  });

  it("learns the gaps when every part succeeded alone", () => {
    const holes = new LearnedHoles();
    holes.learn(block!, []);
    assert.deepEqual(holes.list(), [
      { unitId: 1, area: "holding-register", start: 1, end: 10 },
      { unitId: 1, area: "holding-register", start: 11, end: 20 },
    ]);
  });

  it("learns a gapless block itself when its tags only answer one by one", () => {
    const [run] = planReads(parseAll({ a: "holding-register:1", b: "holding-register:2" }), DEFAULTS).requests;
    const holes = new LearnedHoles();
    holes.learn(run!, []);
    assert.deepEqual(holes.list(), [{ unitId: 1, area: "holding-register", start: 0, end: 2 }]);
    const next = planReads(parseAll({ a: "holding-register:1", b: "holding-register:2" }), DEFAULTS, holes).requests;
    assert.equal(next.length, 2, "then each tag is read alone");
  });

  it("ignores empty ranges and ranges it already holds, and answers overlaps per unit and area", () => {
    const holes = new LearnedHoles();
    holes.add(1, "coil", 10, 20);
    holes.add(1, "coil", 12, 15);
    holes.add(1, "coil", 30, 30);
    assert.equal(holes.size, 1);
    assert.ok(holes.overlaps(1, "coil", 19, 25));
    assert.ok(!holes.overlaps(1, "coil", 20, 25), "ranges are half-open");
    assert.ok(!holes.overlaps(2, "coil", 10, 20));
    assert.ok(!holes.overlaps(1, "discrete-input", 10, 20));
  });

  it("forgets everything when full rather than growing without bound", () => {
    const holes = new LearnedHoles();
    for (let index = 0; index < LearnedHoles.LIMIT; index++) holes.add(1, "holding-register", 2 * index, 2 * index + 1);
    assert.equal(holes.size, LearnedHoles.LIMIT);
    holes.add(2, "holding-register", 0, 1);
    assert.equal(holes.size, 1);
    assert.ok(!holes.overlaps(1, "holding-register", 0, 1));
  });
});

const TYPES = ["INT", "DINT", "REAL", "LREAL", "INT[7]", "WORD[20]", "STRING(30)", "BOOL[40]"];

function randomTags(random: () => number, count: number, span: number): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let index = 0; index < count; index++) {
    const pick = random();
    const address = 1 + Math.floor(random() * span);
    const unit = random() < 0.2 ? "{unit-id: 2}" : "";
    if (pick < 0.15) tags[`t${index}`] = `coil:${address}[${1 + Math.floor(random() * 300)}]${unit}`;
    else if (pick < 0.25) tags[`t${index}`] = `discrete-input:${address}${unit}`;
    else {
      const area = pick < 0.4 ? "input-register" : "holding-register";
      tags[`t${index}`] = `${area}:${address}:${TYPES[Math.floor(random() * TYPES.length)]}${unit}`;
    }
  }
  return tags;
}

describe("planReads on seeded random tag sets", () => {
  it("always plans sound requests, whatever the limits", () => {
    const random = seededRandom(20240611);
    for (let round = 0; round < 300; round++) {
      const settings: PlanSettings = {
        defaultUnitId: 1,
        maxRegistersPerRequest: 1 + Math.floor(random() * 125),
        maxCoilsPerRequest: 1 + Math.floor(random() * 2000),
        maxRegisterGap: Math.floor(random() * 60),
      };
      const tags = parseAll(randomTags(random, 1 + Math.floor(random() * 40), 2000));
      const { requests } = planReads(tags, settings);
      assertPlanIsSound(tags, settings, requests);
    }
  });

  it("never plans more requests than tag slices, and merges all it can when gaps are free", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const tags = parseAll(randomTags(random, 1 + Math.floor(random() * 8), 300));
      const maxRegistersPerRequest = 10 + Math.floor(random() * 50);
      const maxCoilsPerRequest = 100 + Math.floor(random() * 300);
      // Gaps as wide as a request never bind, so only the windows decide.
      const settings = {
        ...DEFAULTS,
        maxRegistersPerRequest,
        maxCoilsPerRequest,
        maxRegisterGap: maxRegistersPerRequest,
        maxBitGap: maxCoilsPerRequest,
      };
      const { requests } = planReads(tags, settings);
      const slices = requests.reduce((sum, r) => sum + r.slices.length, 0);
      assert.ok(requests.length <= slices);
      assert.equal(requests.length, fewestWindows(tags, settings), "greedy windows are the fewest");
    }
  });
});

/**
 * The fewest requests by brute force over window starts, when gaps never bind:
 * each unit and area is covered by windows [s, s + limit) that must hold every tag whole, and a window may as well
 * start where a tag starts.
 */
function fewestWindows(tags: ReadonlyMap<string, ModbusAddress>, settings: PlanSettings): number {
  const groups = new Map<string, { start: number; end: number; limit: number }[]>();
  for (const tag of tags.values()) {
    if (tag.area === "extended-register") continue;
    const bits = tag.area === "coil" || tag.area === "discrete-input";
    const limit = bits ? settings.maxCoilsPerRequest : settings.maxRegistersPerRequest;
    const key = `${tag.unitId ?? 1}/${tag.area}`;
    // A tag longer than a request is read as chunks of the limit, each a span of its own.
    for (let offset = 0; offset < tag.quantity; offset += limit) {
      const start = tag.address + offset;
      const span = { start, end: start + Math.min(limit, tag.quantity - offset), limit };
      groups.set(key, [...(groups.get(key) ?? []), span]);
    }
  }
  let total = 0;
  for (const spans of groups.values()) {
    assert.ok(spans.length <= 30, "the brute force keeps spans in the bits of a number");
    const starts = [...new Set(spans.map((s) => s.start))];
    const memo = new Map<number, number>();
    // `left` has bit i set while spans[i] still needs a window; each window tried starts at some tag's start.
    const best = (left: number): number => {
      if (left === 0) return 0;
      const known = memo.get(left);
      if (known !== undefined) return known;
      const firstIndex = spans.findIndex((_, i) => (left & (1 << i)) !== 0);
      const first = spans[firstIndex]!;
      let fewest = Number.POSITIVE_INFINITY;
      for (const start of starts) {
        if (start > first.start || first.end > start + first.limit) continue;
        let rest = left;
        spans.forEach((s, i) => {
          if (s.start >= start && s.end <= start + s.limit) rest &= ~(1 << i);
        });
        fewest = Math.min(fewest, 1 + best(rest));
      }
      memo.set(left, fewest);
      return fewest;
    };
    total += best((1 << spans.length) - 1);
  }
  return total;
}
