// Tests the S7 read optimizer: plans kept as data, and seeded random tag sets checked against the PDU's limits.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseS7Address, type S7Address } from "../../../src/plc/s7/address.ts";
import { readRequestLength, readResponseLength } from "../../../src/plc/s7/messages/read-var.ts";
import { LoneRanges, type PlanLimits, planReads, type ReadPlan } from "../../../src/plc/s7/optimizer.ts";
import { seededRandom } from "../../support/random.ts";
import { loadVectorFiles } from "./vectors.ts";

interface PlanCase {
  readonly name: string;
  readonly limits: PlanLimits;
  readonly tags: readonly string[];
  readonly blocks: readonly string[];
  readonly requests: readonly (readonly string[])[];
}

function render(plan: ReadPlan): { blocks: string[]; requests: string[][] } {
  const name = (index: number) => `${plan.blocks[index]!.area}${plan.blocks[index]!.dbNumber}`;
  return {
    blocks: plan.blocks.map((block) => `${name(plan.blocks.indexOf(block))}[${block.start},${block.end})`),
    requests: plan.requests.map((items) => items.map((item) => `${name(item.block)}:${item.start}+${item.length}`)),
  };
}

const [plans] = loadVectorFiles<{ cases: readonly PlanCase[] }>("optimizer-plans").map(({ content }) => content);

describe("read plans", () => {
  for (const c of plans!.cases) {
    test(c.name, () => {
      const plan = planReads(c.tags.map(parseS7Address), c.limits);
      assert.deepEqual(render(plan), { blocks: c.blocks, requests: c.requests });
    });
  }
});

/** Checks every promise a plan makes: each tag's bytes read, each PDU within both limits, no value torn needlessly. */
function checkPlan(tags: readonly S7Address[], limits: PlanLimits, plan: ReadPlan): void {
  tags.forEach((tag, index) => {
    const block = plan.blocks[plan.blockOf[index]!]!;
    assert.equal(block.area, tag.area);
    assert.equal(block.dbNumber, tag.dbNumber);
    assert.ok(
      block.start <= tag.byteOffset && tag.byteOffset + tag.byteLength <= block.end,
      "the tag lies in its block",
    );
  });
  plan.blocks.forEach((block, index) => {
    // Every byte of a block is read exactly once.
    const covered = new Uint8Array(block.end - block.start);
    for (const items of plan.requests) {
      for (const item of items) {
        if (item.block !== index) continue;
        for (let at = item.start; at < item.start + item.length; at++) covered[at - block.start]!++;
      }
    }
    assert.ok(
      covered.every((count) => count === 1),
      `block ${index} read exactly once`,
    );
  });
  for (const items of plan.requests) {
    assert.ok(items.length >= 1 && items.length <= limits.maxItemsPerRequest, `${items.length} items`);
    assert.ok(readRequestLength(items.length) <= limits.pduLength, "request fits");
    const response = readResponseLength(items.map((item) => item.length));
    assert.ok(response <= limits.pduLength, `response of ${response} bytes fits ${limits.pduLength}`);
  }
}

test("1000 seeded random tag sets: every tag read, every PDU within its limits", () => {
  const random = seededRandom(0x57a7e);
  const int = (below: number) => Math.floor(random() * below);
  const types = ["BOOL", "BYTE", "INT", "DINT", "REAL", "LREAL", "STRING(10)", "DTL", "INT[20]", "REAL[150]"];
  for (let round = 0; round < 1000; round++) {
    const limits: PlanLimits = {
      pduLength: [240, 480, 960][int(3)]!,
      maxItemsPerRequest: [1, 5, 20, 255][int(4)]!,
    };
    const count = 1 + int(60);
    const tags = Array.from({ length: count }, () => {
      const type = types[int(types.length)]!;
      const area = ["I", "Q", "M", "DB1:", "DB2:"][int(5)]!;
      const offset = int(600);
      const where = area.startsWith("DB") ? `%${area}${offset}` : `%${area}${offset}`;
      return parseS7Address(type === "BOOL" ? `${where}.${int(8)}:BOOL` : `${where}:${type}`);
    });
    const plan = planReads(tags, limits);
    checkPlan(tags, limits, plan);
  }
});

test("the plan is as short as the PDU allows for contiguous data: ⌈bytes / room⌉ PDUs", () => {
  for (const pduLength of [240, 480, 960]) {
    const tags = Array.from({ length: 500 }, (_, index) => parseS7Address(`%DB7:${index * 4}:REAL`));
    const plan = planReads(tags, { pduLength, maxItemsPerRequest: 20 });
    const room = pduLength - readResponseLength([]) - 4;
    // 2000 bytes, cut at REAL boundaries: each PDU carries the most whole REALs its room holds.
    assert.equal(plan.requests.length, Math.ceil(2000 / (room - (room % 4))), `PDU ${pduLength}`);
  }
});

test("ranges learned to be read alone are neither merged nor merged into", () => {
  const tags = ["%DB1:0:INT", "%DB1:2:INT", "%DB1:4:INT"].map(parseS7Address);
  const lone = new LoneRanges();
  assert.equal(planReads(tags, { pduLength: 480, maxItemsPerRequest: 20 }, lone).blocks.length, 1);
  lone.add("DB", 1, 2, 4);
  const plan = planReads(tags, { pduLength: 480, maxItemsPerRequest: 20 }, lone);
  assert.deepEqual(render(plan).blocks.sort(), ["DB1[0,2)", "DB1[2,4)", "DB1[4,6)"]);
  assert.equal(lone.version, 1);
});
