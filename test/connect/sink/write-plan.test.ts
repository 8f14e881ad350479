// Runs the record cases of record-cases.json through planRecord: each record's one write, or why it is not written.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { AllowList } from "../../../src/connect/sink/allow-list.ts";
import { BadRecordError, type SinkError } from "../../../src/connect/sink/errors.ts";
import { planRecord } from "../../../src/connect/sink/write-plan.ts";
import { drivers } from "../../../src/plc/index.ts";

interface Expected {
  readonly shape?: string;
  readonly writes?: unknown;
  readonly expiresAt?: number | null;
  readonly reason?: string;
  readonly message?: string;
  readonly messageStartsWith?: string;
  readonly stage?: "value" | "record";
  readonly tags?: Readonly<Record<string, string>>;
}

interface Case {
  readonly name: string;
  readonly allowList?: string;
  readonly key?: string | null;
  readonly value?: string | null;
  readonly valueBase64?: string;
  readonly expect: Expected;
}

interface Cases {
  readonly now: number;
  readonly allowLists: Readonly<Record<string, { protocol: string; tags: Readonly<Record<string, string>> }>>;
  readonly cases: readonly Case[];
}

const data = JSON.parse(readFileSync(new URL("record-cases.json", import.meta.url), "utf8")) as Cases;
const allowLists = new Map(
  Object.entries(data.allowLists).map(([name, { protocol, tags }]) => [
    name,
    AllowList.of(
      Object.entries(tags).map(([alias, address]) => ({ alias, address })),
      drivers.driver(protocol),
    ),
  ]),
);

/** The JSON form the cases write values in: bigints and dates tagged, everything else as is. */
function comparable(value: unknown): unknown {
  if (typeof value === "bigint") return { bigint: value.toString() };
  if (value instanceof Date) return { date: value.toISOString() };
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, comparable(inner)]));
  }
  return value;
}

function bytes(text: string | null | undefined): Buffer | null {
  return text === null || text === undefined ? null : Buffer.from(text, "utf8");
}

function checkRejection(error: SinkError, expected: Expected): void {
  assert.equal(error.code, expected.reason);
  if (expected.message !== undefined) assert.equal(error.message, expected.message);
  if (expected.messageStartsWith !== undefined) {
    assert.ok(error.message.startsWith(expected.messageStartsWith), `message: ${error.message}`);
  }
  assert.deepEqual(error.tags, expected.tags);
  const stage = error instanceof BadRecordError ? error.stage : undefined;
  if (expected.stage !== undefined || stage !== undefined) assert.equal(stage, expected.stage ?? "record");
}

for (const c of data.cases) {
  test(c.name, () => {
    const allowList = allowLists.get(c.allowList ?? "modbus");
    assert.ok(allowList, `allow-list ${c.allowList}`);
    const value = c.valueBase64 === undefined ? bytes(c.value) : Buffer.from(c.valueBase64, "base64");
    const result = planRecord({ key: bytes(c.key), value }, allowList, data.now);
    if (c.expect.reason !== undefined) {
      assert.ok(
        !result.ok,
        `expected ${c.expect.reason}, got a plan: ${JSON.stringify(comparable(result.ok && result.plan))}`,
      );
      checkRejection(result.error, c.expect);
      return;
    }
    assert.ok(result.ok, `expected a plan, got ${result.ok ? "" : `${result.error.code}: ${result.error.message}`}`);
    assert.deepEqual(
      {
        shape: result.plan.shape,
        writes: comparable(result.plan.writes),
        expiresAt: result.plan.expiresAt ?? null,
      },
      { shape: c.expect.shape, writes: c.expect.writes, expiresAt: c.expect.expiresAt },
    );
  });
}

test("every record case has a name of its own", () => {
  const names = data.cases.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
});
