// Kafka's topic-name rule: which names pass, and the first problem of each that does not, as callers show it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_TOPIC_NAME_LENGTH, topicNameProblem } from "../../src/kafka/topic-names.ts";

test("letters, digits, '.', '_' and '-' up to 249 characters make a topic name", () => {
  for (const name of ["plant.line1.press", "_fabrik-sql-default-commands", "A_b-9", "...", "x".repeat(249)]) {
    assert.equal(topicNameProblem(name), undefined, name);
  }
  assert.equal(MAX_TOPIC_NAME_LENGTH, 249);
});

test("each refused name gets its first problem, the bad character with its column", () => {
  const cases: [string, string][] = [
    ["", "a topic name is empty"],
    [".", "'.' is not a topic name"],
    ["..", "'..' is not a topic name"],
    ["x".repeat(250), "topic name is 250 characters, more than 249"],
    ["plant conveyor", "' ' at column 6 of topic 'plant conveyor'; topics use letters, digits, '.', '_' and '-'"],
    ["plant/a b", "'/' at column 6 of topic 'plant/a b'; topics use letters, digits, '.', '_' and '-'"],
    ["😀x!", "'😀' at column 1 of topic '😀x!'; topics use letters, digits, '.', '_' and '-'"],
  ];
  for (const [name, problem] of cases) assert.equal(topicNameProblem(name), problem, name);
});
