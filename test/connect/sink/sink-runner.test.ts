// SinkRunner.start refuses a sink that cannot run at all before it opens anything: no device handle, no Kafka client.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SinkConfig } from "../../../src/connect/config/model.ts";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { SinkRunner } from "../../../src/connect/sink/index.ts";
import {
  ConnectionManager,
  drivers,
  InvalidAddressError,
  realSchedule,
  UnknownProtocolError,
} from "../../../src/plc/index.ts";

const sink: SinkConfig = {
  name: "robot",
  url: "modbus-tcp://127.0.0.1:1?unit-identifier=4",
  topics: ["setpoints"],
  tags: [{ alias: "speed", address: "holding-register:11:REAL" }],
  retries: 3,
  timeoutMs: 5000,
  deadLetterTopic: "setpoints.dlq",
  groupId: "fabrik-sink-line-robot",
};

async function start(config: SinkConfig, manager: ConnectionManager): Promise<SinkRunner> {
  return SinkRunner.start({
    connector: "line",
    workerId: "w1",
    sink: config,
    manager,
    // Nothing listens here; start must fail before it would matter.
    kafka: { bootstrapServers: ["127.0.0.1:1"] },
    metrics: new ConnectMetrics(),
    log: { info() {}, warn() {}, error() {} },
    schedule: realSchedule,
  });
}

test("an allow-listed address the driver refuses keeps the sink from starting, and nothing is opened", async () => {
  const manager = new ConnectionManager({ registry: drivers });
  const bad = { ...sink, tags: [...sink.tags, { alias: "mode", address: "holding-register:12:FLOAT" }] };
  await assert.rejects(start(bad, manager), InvalidAddressError);
  assert.deepEqual(manager.devices(), [], "no device handle was taken");
  await manager.close();
});

test("a URL no driver answers to keeps the sink from starting", async () => {
  const manager = new ConnectionManager({ registry: drivers });
  await assert.rejects(start({ ...sink, url: "s8://10.0.0.1" }, manager), UnknownProtocolError);
  assert.deepEqual(manager.devices(), []);
  await manager.close();
});
