// What a trend shows, read from and written to its URL: tag keys, SQL column specs, ranges and windows.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  historyPath,
  parseSqlSpec,
  parseTagKey,
  parseTime,
  queryWithSeries,
  rangeOf,
  seriesLabel,
  seriesOfQuery,
  sqlSeriesQuery,
  windowOf,
} from "../../../../ui/src/pages/trends/series-spec.ts";

test("tag keys have four parts", () => {
  assert.deepEqual(parseTagKey("demo-plant/press/status/pressure"), {
    kind: "tag",
    key: "demo-plant/press/status/pressure",
    connector: "demo-plant",
    source: "press",
    job: "status",
    tag: "pressure",
  });
  assert.equal(parseTagKey("press/status/pressure"), undefined);
  assert.equal(parseTagKey("a//b/c"), undefined);
});

test("SQL specs: SOURCE.COLUMN with an optional WHERE, names upper-cased", () => {
  assert.deepEqual(parseSqlSpec("press_readings.oil_temperature"), {
    kind: "sql",
    key: "PRESS_READINGS.OIL_TEMPERATURE",
    source: "PRESS_READINGS",
    column: "OIL_TEMPERATURE",
  });
  const filtered = parseSqlSpec("MACHINE_STATS_1M.SIGNAL_AVG where MACHINE_ID = 'press'");
  assert.equal(filtered?.where, "MACHINE_ID = 'press'");
  assert.equal(filtered?.key, "MACHINE_STATS_1M.SIGNAL_AVG WHERE MACHINE_ID = 'press'");
  assert.equal(parseSqlSpec("SELECT 1"), undefined);
  assert.equal(parseSqlSpec("A.B; DROP STREAM X"), undefined);
});

test("the URL's series: tags first, then SQL columns, duplicates and unreadable entries left out", () => {
  const query = new URLSearchParams();
  query.set("tags", "c/s/j/a, c/s/j/b,broken,c/s/j/a");
  query.append("sql", "T.X");
  query.append("sql", "not a spec");
  query.set("range", "8h");
  const specs = seriesOfQuery(query);
  assert.deepEqual(
    specs.map((spec) => spec.key),
    ["c/s/j/a", "c/s/j/b", "T.X"],
  );
  const written = queryWithSeries(query, specs.slice(1));
  assert.equal(written.get("tags"), "c/s/j/b");
  assert.deepEqual(written.getAll("sql"), ["T.X"]);
  assert.equal(written.get("range"), "8h", "other parameters are kept");
  assert.equal(queryWithSeries(query, []).has("tags"), false);
});

test("ranges: fixed lengths end now and move; custom is fixed; anything else is the default hour", () => {
  const now = 1_800_000_000_000;
  assert.equal(rangeOf(new URLSearchParams("range=24h")), "24h");
  assert.equal(rangeOf(new URLSearchParams("range=3d")), "1h");
  assert.deepEqual(windowOf("15m", new URLSearchParams(), now), { from: now - 900_000, to: now, moving: true });
  const custom = new URLSearchParams({ from: String(now - 5000), to: String(now - 1000) });
  assert.deepEqual(windowOf("custom", custom, now), { from: now - 5000, to: now - 1000, moving: false });
  const backwards = new URLSearchParams({ from: String(now), to: String(now - 1000) });
  assert.deepEqual(windowOf("custom", backwards, now), { from: now - 1000 - 3_600_000, to: now - 1000, moving: false });
  assert.equal(parseTime("1800000000000"), 1_800_000_000_000);
  assert.equal(parseTime("2026-11-25T10:00:00Z"), Date.UTC(2026, 10, 25, 10));
  assert.equal(parseTime("yesterday"), undefined);
  assert.equal(parseTime(null), undefined);
});

test("the history request and the SQL push query of a series", () => {
  const tag = parseTagKey("demo-plant/press/status/pressure")!;
  const path = historyPath(tag, 1000.4, 2000.2);
  const params = new URL(path, "http://x").searchParams;
  assert.equal(new URL(path, "http://x").pathname, "/api/history");
  assert.deepEqual(Object.fromEntries(params), {
    connector: "demo-plant",
    source: "press",
    job: "status",
    tag: "pressure",
    from: "1000",
    to: "2001",
    points: "100000",
  });
  const sql = parseSqlSpec("MACHINE_STATS_1M.SIGNAL_AVG WHERE MACHINE_ID = 'press'")!;
  assert.equal(
    sqlSeriesQuery(sql, 1000),
    "SELECT ROWTIME AS T, SIGNAL_AVG AS V FROM MACHINE_STATS_1M WHERE ROWTIME >= 1000 AND (MACHINE_ID = 'press') EMIT CHANGES;",
  );
  assert.equal(
    sqlSeriesQuery(parseSqlSpec("T.X")!, 1000, 2000),
    "SELECT ROWTIME AS T, X AS V FROM T WHERE ROWTIME >= 1000 AND ROWTIME <= 2000 EMIT CHANGES;",
  );
  assert.equal(seriesLabel(tag), "press.pressure");
  assert.equal(seriesLabel(sql), "MACHINE_STATS_1M.SIGNAL_AVG (MACHINE_ID = 'press')");
});
