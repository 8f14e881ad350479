// PRINT's format detection and lines over the cases in data/print-format.json, and how PRINT resolves topic names.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { EngineError } from "../../../src/sql/engine/errors.ts";
import { resolvePrintTopic } from "../../../src/sql/engine/print.ts";
import { formatRowtime, type PrintedRecord, PrintFormatter } from "../../../src/sql/engine/print-format.ts";

type Bytes = { utf8: string } | { hex: string } | null;
interface Case {
  readonly name: string;
  readonly batches: { timestamp: number; partition: number; key: Bytes; value: Bytes }[][];
  readonly lines: string[];
}

const { cases } = JSON.parse(readFileSync(new URL("data/print-format.json", import.meta.url), "utf8")) as {
  cases: Case[];
};

function bytes(spec: Bytes): Buffer | null {
  if (spec === null) return null;
  return "utf8" in spec ? Buffer.from(spec.utf8, "utf8") : Buffer.from(spec.hex, "hex");
}

for (const c of cases) {
  test(`PRINT lines: ${c.name}`, () => {
    const formatter = new PrintFormatter();
    const lines = c.batches.flatMap((batch) =>
      formatter.lines(batch.map((r): PrintedRecord => ({ ...r, key: bytes(r.key), value: bytes(r.value) }))),
    );
    assert.deepEqual(lines, c.lines);
  });
}

test("an empty batch prints nothing, not even the header", () => {
  assert.deepEqual(new PrintFormatter().lines([]), []);
});

test("rowtime is UTC with milliseconds, as ksqlDB prints it", () => {
  assert.equal(formatRowtime(Date.UTC(2026, 10, 24, 9, 5, 7, 8)), "2026/11/24 09:05:07.008 Z");
});

test("PRINT finds a topic by its exact name, an unquoted one ignoring case, and suggests a near one", () => {
  const topics = ["pageviews", "PAGEVIEWS_BY_USER", "Machines", "machines"];
  assert.equal(resolvePrintTopic(topics, "pageviews", true), "pageviews");
  assert.equal(resolvePrintTopic(topics, "PAGEVIEWS", false), "pageviews");
  const refuse = (name: string, caseSensitive: boolean) => {
    try {
      resolvePrintTopic(topics, name, caseSensitive);
    } catch (error) {
      assert.ok(error instanceof EngineError);
      assert.equal(error.code, "SQL_TOPIC_MISSING");
      return error.message;
    }
    assert.fail(`${name} resolved`);
  };
  assert.equal(
    refuse("PAGEVIEWS", true),
    "topic 'PAGEVIEWS' does not exist (topic names are case-sensitive); did you mean 'pageviews'?",
  );
  assert.match(refuse("MACHINES", false), /did you mean 'Machines'\?$/, "two topics differ only by case: ask");
  assert.match(refuse("pageveiws", true), /did you mean 'pageviews'\?$/);
  assert.equal(refuse("orders", true), "topic 'orders' does not exist (topic names are case-sensitive)");
});
