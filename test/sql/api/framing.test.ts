// The chunks of each streaming endpoint: joined, they read back as the documents ksqlDB's clients parse.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  delimitedFraming,
  jsonArrayFraming,
  printFraming,
  queryFraming,
  queryStreamFraming,
  type RowFraming,
  schemaText,
} from "../../../src/sql/api/framing.ts";
import type { KsqlErrorBody } from "../../../src/sql/engine/entities.ts";
import { FakeQuery, ID_COLUMNS } from "./fake-service.ts";

const push = new FakeQuery({ queryId: "transient_1", kind: "push", columns: ID_COLUMNS });
const pull = new FakeQuery({ queryId: "pull_1", kind: "pull", columns: ID_COLUMNS });
const failure: KsqlErrorBody = { "@type": "generic_error", error_code: 50000, message: "topic deleted" };

function body(framing: RowFraming, query: FakeQuery, rows: unknown[][], ending: "end" | "error"): string {
  const parts = [framing.header(query), ...rows.map((r) => framing.row(r as never))];
  parts.push(ending === "end" ? framing.end(query) : framing.error(failure));
  return parts.join("");
}

test("schema text quotes names (doubling back-quotes) and marks key columns", () => {
  assert.equal(schemaText(ID_COLUMNS), "`ID` STRING KEY, `SPEED` DOUBLE");
  assert.equal(schemaText([{ name: "a`b", type: "ARRAY<INTEGER>", key: false }]), "`a``b` ARRAY<INTEGER>");
});

test("/query: one JSON array, an element per line; a push query that ends reports its LIMIT", () => {
  const text = body(
    queryFraming(undefined),
    push,
    [
      ["m1", 1.5],
      ["m2", null],
    ],
    "end",
  );
  assert.deepEqual(JSON.parse(text), [
    { header: { queryId: "transient_1", schema: "`ID` STRING KEY, `SPEED` DOUBLE" } },
    { row: { columns: ["m1", 1.5] } },
    { row: { columns: ["m2", null] } },
    { finalMessage: "Limit Reached" },
  ]);
  assert.equal(text.split("\n").length, 5, "the header, two rows and the final message each on a line");
  assert.deepEqual(JSON.parse(body(queryFraming(undefined), pull, [], "end")), [
    { header: { queryId: "pull_1", schema: "`ID` STRING KEY, `SPEED` DOUBLE" } },
  ]);
});

test("/query: a failure after the header is the last element, as errorMessage", () => {
  const parsed = JSON.parse(body(queryFraming(undefined), push, [["m1", 1]], "error")) as unknown[];
  assert.deepEqual(parsed.at(-1), { errorMessage: failure });
});

test("/query answers the versioned media type when asked for it", () => {
  assert.equal(queryFraming("application/vnd.ksql.v1+json").contentType, "application/vnd.ksql.v1+json");
  assert.equal(queryFraming("*/*").contentType, "application/json");
});

test("/query-stream delimited: a header line without an id for pull queries, then an array per line", () => {
  const lines = body(delimitedFraming, push, [["m1", 2]], "end")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    { queryId: "transient_1", columnNames: ["ID", "SPEED"], columnTypes: ["STRING", "DOUBLE"] },
    ["m1", 2],
  ]);
  const pullHeader = JSON.parse(delimitedFraming.header(pull));
  assert.equal("queryId" in pullHeader, false);
  const failed = body(delimitedFraming, push, [], "error").trimEnd().split("\n");
  assert.deepEqual(JSON.parse(failed.at(-1)!), failure);
});

test("/query-stream JSON: the same items as one array, failure included", () => {
  assert.deepEqual(JSON.parse(body(jsonArrayFraming, pull, [["m1", 3]], "end")), [
    { columnNames: ["ID", "SPEED"], columnTypes: ["STRING", "DOUBLE"] },
    ["m1", 3],
  ]);
  assert.deepEqual((JSON.parse(body(jsonArrayFraming, push, [], "error")) as unknown[]).at(-1), failure);
});

test("/query-stream negotiation: delimited by default and when named, JSON when only JSON is accepted", () => {
  assert.equal(queryStreamFraming(undefined), delimitedFraming);
  assert.equal(queryStreamFraming("*/*"), delimitedFraming);
  assert.equal(queryStreamFraming("application/vnd.ksqlapi.delimited.v1, application/json"), delimitedFraming);
  assert.equal(queryStreamFraming("application/json"), jsonArrayFraming);
  assert.equal(queryStreamFraming("application/vnd.ksql.v1+json"), jsonArrayFraming);
});

test("PRINT on /query: each record's line as text", () => {
  const print = new FakeQuery({ queryId: "print_1", kind: "print", columns: [] });
  assert.equal(
    body(printFraming, print, [["rowtime: 1, key: a, value: {}"]], "end"),
    "rowtime: 1, key: a, value: {}\n",
  );
});
