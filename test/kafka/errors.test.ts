// explainKafkaError: the reason buried in the client's nested errors comes out in one line.
import assert from "node:assert/strict";
import { test } from "node:test";
import { explainKafkaError, KafkaError } from "../../src/kafka/index.ts";

test("nested causes and aggregates are joined, the broker's own message included, without repeats", () => {
  const server = Object.assign(new Error("SASL authentication failed."), { serverErrorMessage: "invalid credentials" });
  const auth = new Error("SASL authentication failed.", {
    cause: new AggregateError([server], "Received error response"),
  });
  const network = new Error("Connection to 10.0.0.1:9093 failed.", { cause: auth });
  const top = new AggregateError(
    [new AggregateError([network], "Cannot connect to any broker.")],
    "Listing topics failed.",
  );
  assert.equal(
    explainKafkaError(top),
    "Listing topics failed: Cannot connect to any broker: Connection to 10.0.0.1:9093 failed: SASL authentication failed: Received error response: invalid credentials",
  );
});

test("plain values and cycles are handled", () => {
  assert.equal(explainKafkaError("boom"), "boom");
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  (a as { cause?: unknown }).cause = b;
  assert.equal(explainKafkaError(b), "b: a");
});

test("KafkaError.describe prints the message, the fix and the broker log", () => {
  const error = new KafkaError("BROKER_FAILED", "the Kafka broker exited.", {
    hint: "read the log.",
    logTail: "line 1\nline 2",
  });
  assert.equal(
    error.describe(),
    "the Kafka broker exited.\n  how to fix: read the log.\n  last lines of the broker log:\n    line 1\n    line 2",
  );
});
