// The two drawings: listings sized to their content, and the query grid sharing a fixed width, wrapping long values.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cellText, listingTable, ResultGrid } from "../../../../src/sql/api/repl/text-table.ts";

test("a listing pads every column to its widest cell, between rules as wide as the table", () => {
  assert.equal(
    listingTable(
      ["Name", "N"],
      [
        ["a", "100"],
        ["longer", "2"],
      ],
    ),
    [" Name   | N   ", "--------------", " a      | 100 ", " longer | 2   ", "--------------"].join("\n"),
  );
});

test("query cells show strings bare and everything else as JSON", () => {
  assert.equal(cellText("m1"), "m1");
  assert.equal(cellText(null), "null");
  assert.equal(cellText(1.5), "1.5");
  assert.equal(cellText({ a: [1, "x"] }), '{"a":[1,"x"]}');
});

test("the grid shares the width evenly, keeps names whole, and wraps a long value inside its cell", () => {
  const grid = new ResultGrid(["ID", "A_LONG_COLUMN_NAME"], 25);
  assert.equal(
    grid.top(),
    ["+-----------+------------------+", "|ID         |A_LONG_COLUMN_NAME|", "+-----------+------------------+"].join(
      "\n",
    ),
  );
  assert.equal(
    grid.row(["abcdefghijklmno", 3]),
    ["|abcdefghijk|3                 |", "|lmno       |                  |"].join("\n"),
  );
  assert.equal(grid.row(["two\nlines", null]), "|two lines  |null              |");
});
