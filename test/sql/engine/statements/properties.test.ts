// Properties: ksqlDB's names normalised, values checked, request overrides over server values over defaults.
import assert from "node:assert/strict";
import { test } from "node:test";
import { KsqlRequestError } from "../../../../src/sql/engine/entities.ts";
import { asRequestError } from "../../../../src/sql/engine/statements/errors.ts";
import {
  EngineProperties,
  requestOverrides,
  withSet,
  withUnset,
} from "../../../../src/sql/engine/statements/properties.ts";

const where = { text: "SET 'auto.offset.reset'='never';", span: { start: 0, end: 31 } };

test("request properties drop the ksql.streams. prefix and check known values", () => {
  assert.deepEqual(requestOverrides({ "ksql.streams.auto.offset.reset": "earliest", "my.own": 3 }), {
    "auto.offset.reset": "earliest",
    "my.own": 3,
  });
  assert.throws(() => requestOverrides({ "auto.offset.reset": "never" }), {
    code: "SQL_INVALID_PROPERTY_VALUE",
    message: "invalid value 'never' for property auto.offset.reset: must be one of earliest, latest",
  });
});

test("SET and UNSET change the overrides for the statements after them", () => {
  const set = withSet({}, "ksql.streams.auto.offset.reset", "earliest", where);
  assert.deepEqual(set, { "auto.offset.reset": "earliest" });
  assert.deepEqual(withUnset(set, "auto.offset.reset"), {});
  assert.throws(() => withSet({}, "auto.offset.reset", "never", where), {
    message: /^line 1:1: invalid value 'never'/,
  });
});

test("a value comes from the request, else the server, else the default", () => {
  const properties = new EngineProperties("plant", {
    "ksql.streams.auto.offset.reset": "earliest",
    "session.timeout.ms": "6000",
  });
  assert.equal(properties.offsetReset({}), "earliest");
  assert.equal(properties.offsetReset({ "auto.offset.reset": "latest" }), "latest");
  assert.equal(new EngineProperties("plant").offsetReset({}), "latest");
  assert.equal(properties.number("session.timeout.ms"), 6000);
  assert.equal(properties.number("heartbeat.interval.ms"), undefined);
  assert.equal(properties.outputTopicPrefix({ "ksql.output.topic.name.prefix": "p." }), "p.");
  assert.throws(() => new EngineProperties("plant", { "ksql.persistence.default.format.value": "XML" }), {
    code: "SQL_INVALID_PROPERTY_VALUE",
  });
});

test("source defaults follow the persistence properties", () => {
  const properties = new EngineProperties("plant", { "ksql.persistence.default.format.key": "JSON" });
  const defaults = properties.sourceDefaults({ "ksql.persistence.wrap.single.values": "false" }, () => undefined);
  assert.equal(defaults.keyFormat, "JSON");
  assert.equal(defaults.valueFormat, "JSON");
  assert.equal(defaults.wrapSingleValue, false);
  assert.equal(defaults.replicas, -1);
  assert.equal(new EngineProperties("plant").sourceDefaults({}, () => undefined).wrapSingleValue, undefined);
});

test("SHOW PROPERTIES lists what is in force, what the request overrides and what is a default", () => {
  const entity = new EngineProperties("plant", { "ksql.sink.replicas": "3" }).entity("SHOW PROPERTIES;", {
    "auto.offset.reset": "earliest",
  });
  assert.equal(entity["@type"], "properties");
  if (entity["@type"] !== "properties") return;
  const byName = Object.fromEntries(entity.properties.map((p) => [p.name, p.value]));
  assert.equal(byName["ksql.service.id"], "plant");
  assert.equal(byName["auto.offset.reset"], "earliest");
  assert.equal(byName["ksql.sink.replicas"], "3");
  assert.deepEqual(entity.overwrittenProperties, ["auto.offset.reset"]);
  assert.ok(entity.defaultProperties.includes("ksql.output.topic.name.prefix"));
  assert.ok(!entity.defaultProperties.includes("ksql.sink.replicas"));
  assert.ok(!entity.defaultProperties.includes("auto.offset.reset"));
});

test("a request property the engine cannot take answers the client 400, naming the property and the value", () => {
  // Push queries, persistent queries and SETs all read their properties through requestOverrides: checked once here.
  let refused: unknown;
  try {
    requestOverrides({ "ksql.streams.auto.offset.reset": "soon" });
  } catch (error) {
    refused = asRequestError(error, "SELECT * FROM readings EMIT CHANGES;");
  }
  assert.ok(refused instanceof KsqlRequestError, String(refused));
  assert.equal(refused.status, 400);
  assert.match(refused.message, /'soon' for property auto.offset.reset/);
});
