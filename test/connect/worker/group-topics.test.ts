// The keys of a connect group's configs and status topics: written by one function, read back by another.
import assert from "node:assert/strict";
import { test } from "node:test";
import { connectorOfKey, keys, statusOwner } from "../../../src/connect/worker/group-topics.ts";

test("status keys name their connector and task, whatever dashes the connector's name has", () => {
  assert.deepEqual(statusOwner("status-connector-line-1"), { connector: "line-1" });
  assert.deepEqual(statusOwner("status-task-line-1-12"), { connector: "line-1", task: 12 });
  assert.equal(statusOwner("connector-line"), undefined);
  assert.equal(statusOwner("status-task-nodash"), undefined);
});

test("config keys read back to the connector they were written for", () => {
  assert.equal(connectorOfKey("connector", keys.connector("line-1")), "line-1");
  assert.equal(connectorOfKey("restart", keys.restart("line-1")), "line-1");
  assert.equal(connectorOfKey("connector", keys.restart("line-1")), undefined);
  assert.equal(connectorOfKey("connector", keys.target("line-1")), undefined);
  assert.deepEqual(statusOwner(keys.taskStatus("a-b", 3)), { connector: "a-b", task: 3 });
  assert.deepEqual(statusOwner(keys.connectorStatus("a-b")), { connector: "a-b" });
});
