// The connector takes a PLC4X S7 source configuration unchanged: s7:// URLs and S7 tag addresses are checked by the driver.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkConnectorConfigText } from "../../../src/connect/config/load.ts";

const CONFIG = `
name=press-source
connector.class=org.apache.plc4x.kafka.Plc4xSourceConnector
default.topic=press
sources=press
sources.press.connectionString=s7://192.168.0.10?remote-rack=0&remote-slot=1&controller-type=S7_1500
sources.press.jobReferences=status
jobs=status
jobs.status.interval=1000
jobs.status.tags=running,pressure,strokes,alarm
jobs.status.tags.running=%I0.0
jobs.status.tags.pressure=%DB1.DBD4:REAL
jobs.status.tags.strokes=%DB1:8:UDINT
jobs.status.tags.alarm=%M10.1
`;

test("a PLC4X S7 source configuration is accepted as it is", () => {
  const checked = checkConnectorConfigText(CONFIG, "properties");
  assert.ok(checked.ok, checked.ok ? "" : JSON.stringify(checked.problems));
});

test("a bad S7 URL option or address is a problem of the configuration, with the column", () => {
  const bad = CONFIG.replace("remote-slot=1", "remote-slot=40").replace("%DB1:8:UDINT", "%DB1:8:UDIN");
  const checked = checkConnectorConfigText(bad, "properties");
  assert.ok(!checked.ok);
  const text = checked.problems.map((problem) => problem.message).join("\n");
  assert.match(text, /option 'remote-slot' is '40' at column \d+; expected an integer in 0\.\.31/);
  assert.match(text, /%DB1:8:UDIN: unknown data type 'UDIN' at column 8/);
});
