// The worker's root resource (version, commit, Kafka cluster) and the Prometheus /metrics text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fixture } from "../app-fixture.ts";

test("GET / answers version, commit and kafka_cluster_id as Connect does", async (t) => {
  const f = await fixture(t);
  const answer = await f.request("GET", "/");
  assert.deepEqual(answer.body, { version: "0.1.0", commit: "abc123", kafka_cluster_id: "cluster-xyz" });
});

test("GET /metrics answers Prometheus text with the series the runtime updated", async (t) => {
  const f = await fixture(t);
  f.metrics.observePoll({ connector: "plant", source: "press", job: "fast" }, 0.004, 12);
  f.metrics.setConnectionState({ connector: "plant", source: "press" }, "connected");
  const answer = await f.request("GET", "/metrics");
  assert.equal(answer.status, 200);
  assert.match(String(answer.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
  assert.match(answer.text, /^fabrik_source_values_total\{connector="plant",source="press",job="fast"\} 12$/m);
  assert.match(
    answer.text,
    /^fabrik_source_connection_state\{connector="plant",source="press",state="connected"\} 1$/m,
  );
});
