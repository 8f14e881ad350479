// The names of the engine's topics and groups, all derived from the service id.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  checkServiceId,
  commandTopic,
  internalTopicPrefix,
  processingLogTopic,
  queryGroupId,
} from "../../../src/sql/engine/internal-names.ts";

test("the service id names the engine's topics and groups, and must fit in a topic name", () => {
  assert.equal(commandTopic("plant"), "_fabrik-sql-plant-commands");
  assert.equal(processingLogTopic("plant"), "_fabrik-sql-plant-processing-log");
  assert.equal(queryGroupId("plant", "CTAS_STATS_2"), "_fabrik-sql-plant-query-CTAS_STATS_2");
  assert.ok(internalTopicPrefix("plant").startsWith("_"), "internal topics are hidden from SHOW TOPICS");
  assert.equal(checkServiceId("plant_1.a-b"), "plant_1.a-b");
  assert.throws(() => checkServiceId("plant one"), /service id 'plant one' cannot be part of a topic name/);
  assert.throws(
    () => checkServiceId("plant one"),
    /: ' ' at column 18 of topic '_fabrik-sql-plant one-commands'; topics use letters/,
    "the message says which character and where",
  );
  assert.throws(() => checkServiceId(""), /service id '' cannot be part of a topic name: it is empty/);
  assert.throws(() => checkServiceId("x".repeat(240)), /cannot be part of a topic name: topic name is 261 characters/);
});

test("a service id must fit every engine topic it names, the processing log's longer name too", () => {
  // 12 + 222 + 15 = 249: the processing log's name is exactly as long as Kafka allows.
  assert.equal(checkServiceId("x".repeat(222)), "x".repeat(222));
  assert.throws(
    () => checkServiceId("x".repeat(223)),
    /service id 'x+' cannot be part of a topic name: topic name is 250 characters, more than 249/,
  );
});
