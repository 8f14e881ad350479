// ConnectMetrics: each instrument's series after updates, one-hot connection state, and forgetting a connector.
import assert from "node:assert/strict";
import { test } from "node:test";
import { register } from "prom-client";
import { ConnectMetrics } from "../../../src/connect/rest/index.ts";

const JOB = { connector: "plant", source: "press", job: "fast" };
const L = 'connector="plant",source="press",job="fast"';

function line(text: string, series: string): string | undefined {
  return text.split("\n").find((l) => l.startsWith(`${series} `));
}

test("polls: latency histogram and values counter, incremented by n per poll", async () => {
  const metrics = new ConnectMetrics();
  const job = metrics.job(JOB);
  assert.equal(
    line(await metrics.metricsText(), `fabrik_source_values_total{${L}}`),
    `fabrik_source_values_total{${L}} 0`,
  );
  job.observePoll(0.003, 40);
  job.observePoll(0.2, 60);
  metrics.observePoll(JOB, 0.004, 5);
  const text = await metrics.metricsText();
  assert.equal(line(text, `fabrik_source_values_total{${L}}`), `fabrik_source_values_total{${L}} 105`);
  assert.equal(line(text, `fabrik_source_poll_latency_seconds_count{${L}}`)?.split(" ")[1], "3");
  assert.equal(line(text, `fabrik_source_poll_latency_seconds_bucket{le="0.005",${L}}`)?.split(" ")[1], "2");
  assert.equal(line(text, `fabrik_source_poll_latency_seconds_bucket{le="0.25",${L}}`)?.split(" ")[1], "3");
  assert.equal(metrics.job(JOB), job, "the same handle for the same labels");
});

test("errors: one series per code", async () => {
  const metrics = new ConnectMetrics();
  metrics.job(JOB).recordError("TIMEOUT");
  metrics.recordSourceError(JOB, "TIMEOUT", 2);
  metrics.recordSourceError(JOB, "INVALID_ADDRESS");
  const text = await metrics.metricsText();
  assert.match(text, new RegExp(`^fabrik_source_errors_total\\{${L},code="TIMEOUT"\\} 3$`, "m"));
  assert.match(text, new RegExp(`^fabrik_source_errors_total\\{${L},code="INVALID_ADDRESS"\\} 1$`, "m"));
});

test("connection state: 1 for the current state, 0 for every other", async () => {
  const metrics = new ConnectMetrics();
  metrics.setConnectionState({ connector: "plant", source: "press" }, "connecting");
  metrics.setConnectionState({ connector: "plant", source: "press" }, "degraded");
  const text = await metrics.metricsText();
  const states = text
    .split("\n")
    .filter((l) => l.startsWith("fabrik_source_connection_state{"))
    .map((l) => [/state="(\w+)"/.exec(l)?.[1], l.split(" ")[1]]);
  assert.deepEqual(states, [
    ["connecting", "0"],
    ["connected", "0"],
    ["degraded", "1"],
    ["disconnected", "0"],
    ["closed", "0"],
  ]);
});

test("buffer, producer and sink series", async () => {
  const metrics = new ConnectMetrics();
  const press = { connector: "plant", source: "press" };
  metrics.setBufferDepth(press, 120, 48_000);
  metrics.setBufferDepth(press, 100, 40_000);
  metrics.recordBufferDropped(press, 7);
  metrics.recordProduced(press, 500);
  metrics.recordProduced(press, 20);
  metrics.recordProducerErrors(press);
  metrics.observeProducerAck(press, 0.02);
  metrics.recordSinkWrites({ connector: "plant", sink: "setpoints" }, 3);
  metrics.recordDeadLetters({ connector: "plant", sink: "setpoints" });
  const text = await metrics.metricsText();
  const expected = [
    'fabrik_buffer_depth_records{connector="plant",source="press"} 100',
    'fabrik_buffer_depth_bytes{connector="plant",source="press"} 40000',
    'fabrik_buffer_dropped_records_total{connector="plant",source="press"} 7',
    'fabrik_producer_records_total{connector="plant",source="press"} 520',
    'fabrik_producer_errors_total{connector="plant",source="press"} 1',
    'fabrik_producer_ack_latency_seconds_count{connector="plant",source="press"} 1',
    'fabrik_sink_writes_total{connector="plant",sink="setpoints"} 3',
    'fabrik_sink_dead_letters_total{connector="plant",sink="setpoints"} 1',
  ];
  for (const series of expected) assert.ok(text.split("\n").includes(series), series);
});

test("forgetConnector removes that connector's series and only those", async () => {
  const metrics = new ConnectMetrics();
  for (const connector of ["plant", "other"]) {
    metrics.observePoll({ ...JOB, connector }, 0.01, 1);
    metrics.recordSourceError({ ...JOB, connector }, "TIMEOUT");
    metrics.setConnectionState({ connector, source: "press" }, "connected");
    metrics.setBufferDepth({ connector, source: "press" }, 1, 1);
    metrics.recordProduced({ connector, source: "press" }, 1);
    metrics.recordSinkWrites({ connector, sink: "s" }, 1);
  }
  metrics.forgetConnector("plant");
  const text = await metrics.metricsText();
  assert.doesNotMatch(text, /connector="plant"/);
  assert.match(text, /fabrik_source_values_total\{connector="other",source="press",job="fast"\} 1/);
  assert.match(text, /fabrik_sink_writes_total\{connector="other",sink="s"\} 1/);
  metrics.observePoll(JOB, 0.01, 4);
  metrics.setBufferDepth({ connector: "plant", source: "press" }, 2, 2);
  const again = await metrics.metricsText();
  assert.match(again, /fabrik_source_values_total\{connector="plant",source="press",job="fast"\} 4/);
  metrics.forgetConnector("plant");
  assert.doesNotMatch(await metrics.metricsText(), /connector="plant"/, "series made after a forget are forgotten too");
});

test("each ConnectMetrics has its own registry, never the global one; process metrics on request", async () => {
  const a = new ConnectMetrics();
  const b = new ConnectMetrics();
  a.observePoll(JOB, 0.01, 1);
  assert.doesNotMatch(await b.metricsText(), /connector="plant"/);
  assert.equal(register.getSingleMetric("fabrik_source_values_total"), undefined);
  assert.doesNotMatch(await a.metricsText(), /process_cpu/);
  const withProcess = new ConnectMetrics({ processMetrics: true });
  assert.match(await withProcess.metricsText(), /^process_cpu_user_seconds_total /m);
  assert.match(a.contentType, /^text\/plain/);
});
