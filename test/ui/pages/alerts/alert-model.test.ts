// The Alerts page's model: rows read by column name, severity by how far past the limit, ordering, and the ack INSERT.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Alert,
  ackOf,
  ackStatement,
  alertOf,
  compareAlerts,
  excursionOf,
} from "../../../../ui/src/pages/alerts/alert-model.ts";

const COLUMNS = [
  "MACHINE_ID",
  "WINDOWSTART",
  "WINDOWEND",
  "NAME",
  "SIGNAL",
  "UNIT",
  "LOWEST",
  "HIGHEST",
  "LOW_LIMIT",
  "HIGH_LIMIT",
  "SAMPLES_OUTSIDE",
];

function alert(fields: Partial<Alert>): Alert {
  return {
    id: "m@0",
    machineId: "m",
    windowStart: 0,
    windowEnd: 60000,
    name: null,
    signal: null,
    unit: null,
    lowest: null,
    highest: null,
    lowLimit: null,
    highLimit: null,
    samplesOutside: null,
    ...fields,
  };
}

test("alertOf reads LIMIT_ALERTS rows by column name and names the alert <MACHINE_ID>@<WINDOWSTART>", () => {
  const row = ["conveyor", 1795577040000, 1795577100000, "Conveyor C1", "vibration", "mm/s", 4.38, 4.96, null, 4.5, 9];
  assert.deepEqual(alertOf(COLUMNS, row), {
    id: "conveyor@1795577040000",
    machineId: "conveyor",
    windowStart: 1795577040000,
    windowEnd: 1795577100000,
    name: "Conveyor C1",
    signal: "vibration",
    unit: "mm/s",
    lowest: 4.38,
    highest: 4.96,
    lowLimit: null,
    highLimit: 4.5,
    samplesOutside: 9,
  });
  const reordered = [...COLUMNS].reverse();
  assert.equal(alertOf(reordered, [...row].reverse())?.id, "conveyor@1795577040000");
  assert.equal(alertOf(COLUMNS, [null, 1, 2]), undefined, "no machine, no alert");
  assert.equal(alertOf(["MACHINE_ID", "WINDOWSTART"], ["m", "1795577040000"])?.windowStart, 1795577040000);
});

test("ackOf reads the acknowledgement stream, ROWTIME selected as ACKED_AT", () => {
  const columns = ["ACKED_AT", "ALERT_ID", "MACHINE_ID", "WINDOW_START", "ACKED_BY", "NOTE"];
  assert.deepEqual(ackOf(columns, [1795577100500, "conveyor@1795577040000", "conveyor", 1795577040000, "anna", null]), {
    alertId: "conveyor@1795577040000",
    machineId: "conveyor",
    ackedBy: "anna",
    note: null,
    ackedAt: 1795577100500,
  });
  assert.equal(ackOf(columns, [1, null]), undefined);
});

test("severity follows how far the worst sample went past its limit, relative to the limit", () => {
  assert.deepEqual(excursionOf(alert({ highest: 4.6, highLimit: 4.5 })), {
    side: "high",
    excess: 4.6 - 4.5,
    limit: 4.5,
    worst: 4.6,
    relative: (4.6 - 4.5) / 4.5,
    severity: "minor",
  });
  assert.equal(excursionOf(alert({ highest: 62, highLimit: 60 }))?.severity, "major");
  assert.equal(excursionOf(alert({ highest: 5.0, highLimit: 4.5 }))?.severity, "critical");
  const low = excursionOf(alert({ lowest: 5.2, lowLimit: 5.5, highest: 6, highLimit: 7 }));
  assert.equal(low?.side, "low");
  assert.equal(low?.severity, "major");
  assert.equal(excursionOf(alert({ highest: 4.4, highLimit: 4.5 })), undefined, "within its limit");
  assert.equal(
    excursionOf(alert({ highest: 0.2, highLimit: 0 }))?.severity,
    "critical",
    "any excess over a zero limit",
  );
});

test("when both limits are crossed, the worse side counts", () => {
  const both = excursionOf(alert({ lowest: 150, lowLimit: 160, highest: 176, highLimit: 175 }));
  assert.equal(both?.side, "low");
  assert.equal(both?.severity, "major", "10 °C under 160 is 6 %; 1 °C over 175 under 1 %");
});

test("alerts sort newest window first, then by how far out, then by machine", () => {
  const older = alert({ id: "a@0", machineId: "a", windowStart: 0, highest: 9, highLimit: 1 });
  const mild = alert({ id: "b@60000", machineId: "b", windowStart: 60000, highest: 1.01, highLimit: 1 });
  const bad = alert({ id: "c@60000", machineId: "c", windowStart: 60000, highest: 2, highLimit: 1 });
  const sameAsMild = alert({ id: "a@60000", machineId: "a", windowStart: 60000, highest: 1.01, highLimit: 1 });
  assert.deepEqual(
    [older, mild, bad, sameAsMild].sort(compareAlerts).map((a) => a.id),
    ["c@60000", "a@60000", "b@60000", "a@0"],
  );
});

test("ackStatement inserts into the acks stream with quotes doubled and an empty note as NULL", () => {
  const a = alert({ id: "o'brien@60000", machineId: "o'brien", windowStart: 60000 });
  assert.equal(
    ackStatement("ALERT_ACKS", a, "anna", "  checked the bearing, it's fine "),
    "INSERT INTO ALERT_ACKS (ALERT_ID, MACHINE_ID, WINDOW_START, ACKED_BY, NOTE) VALUES " +
      "('o''brien@60000', 'o''brien', 60000, 'anna', 'checked the bearing, it''s fine');",
  );
  assert.match(ackStatement("alert-acks", a, "operator", "   "), /^INSERT INTO `alert-acks` .*'operator', NULL\);$/);
});
