// POST /api/write on the real broker: the server's own producer creates the sink's topic if needed, and each record
// lands there at the partition and offset that the answer and the log line name, in the job format a sink reads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectMetrics } from "../../src/connect/rest/metrics.ts";
import type { RawConnectorConfig } from "../../src/connect/service.ts";
import { type CommittedRecord, readCommitted } from "../../src/kafka/index.ts";
import { startFabrikServer, WRITE_EXPIRES_MS } from "../../src/server/index.ts";
import { testKafka, uniqueTopic } from "../support/kafka.ts";
import { idleTail } from "./fixture.ts";
import { PlantConnectService } from "./plant-service.ts";

const kafka = testKafka();

test("each write lands in the sink's topic at the offset answered and logged", async (t) => {
  const topic = uniqueTopic("setpoints");
  const config: RawConnectorConfig = {
    name: "line1",
    sources: {
      press: { url: "simulated://press", jobs: [{ name: "status", tags: { setpoint: "STATE/setpoint:REAL" } }] },
    },
    sinks: { writer: { url: "simulated://press", topic, tags: { setpoint: "STATE/setpoint:REAL" } } },
  };
  const lines: string[] = [];
  const server = await startFabrikServer({
    kafka,
    connect: { service: new PlantConnectService({ line1: config }), metrics: new ConnectMetrics() },
    port: 0,
    live: { tail: idleTail },
    log: { info: (line) => lines.push(line), warn: () => {}, error: (line) => lines.push(`ERROR ${line}`) },
  });
  t.after(() => server.close());

  const receipts: { topic: string; partition: number; offset: number }[] = [];
  const before = Date.now();
  for (const value of [120.5, 175]) {
    const response = await fetch(`${server.url}/api/write`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ connector: "line1", source: "press", tag: "setpoint", value }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    receipts.push((await response.json()) as (typeof receipts)[number]);
  }
  const after = Date.now();
  assert.deepEqual(
    receipts.map((r) => [r.topic, r.partition]),
    [
      [topic, 0],
      [topic, 0],
    ],
  );
  assert.equal(receipts[1]!.offset, receipts[0]!.offset + 1);
  assert.deepEqual(lines, [
    `write: operator set line1/press/setpoint = 120.5 via sink writer (topic ${topic}, partition 0, offset ${receipts[0]!.offset})`,
    `write: operator set line1/press/setpoint = 175 via sink writer (topic ${topic}, partition 0, offset ${receipts[1]!.offset})`,
  ]);

  const records: CommittedRecord[] = [];
  await readCommitted(kafka, topic, (record) => records.push(record));
  assert.equal(records.length, 2);
  for (const [index, value] of [120.5, 175].entries()) {
    const record = records.find((r) => Number(r.offset) === receipts[index]!.offset);
    assert.ok(record, `a record at offset ${receipts[index]!.offset}`);
    assert.equal(record.key?.toString("utf8"), "press/setpoint");
    const body = JSON.parse(record.value!.toString("utf8")) as { tags: unknown; expires: number };
    assert.deepEqual(body.tags, { setpoint: value });
    const timestamp = Number(record.timestamp);
    assert.ok(timestamp >= before && timestamp <= after, `record time ${timestamp} within the requests`);
    assert.equal(body.expires, timestamp + WRITE_EXPIRES_MS);
  }
});
