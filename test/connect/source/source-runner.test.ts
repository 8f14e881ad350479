// Tests what a source runner does without a broker: a start that fails leaves nothing behind, and stop never waits for
// a Kafka that does not answer.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { StoreAndForward } from "../../../src/connect/buffer/index.ts";
import { validateConnectorConfig } from "../../../src/connect/config/index.ts";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { SourceRunner, type SourceRunnerOptions } from "../../../src/connect/source/source-runner.ts";
import { ConnectionManager, drivers, realSchedule } from "../../../src/plc/index.ts";
import { silentKafka } from "../../support/silent-kafka.ts";
import { silentLog } from "./fixture.ts";

it("a start that fails releases the buffer directory, so the source can be started again", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "fabrik-runner-"));
  const manager = new ConnectionManager({ registry: drivers });
  t.after(async () => {
    await manager.close();
    await rm(dir, { recursive: true, force: true });
  });
  const options: SourceRunnerOptions = {
    connector: "line",
    workerId: "test-worker",
    // No driver speaks this protocol: no reconnect can fix it, so starting rejects.
    source: { name: "press", url: "no-such-protocol://127.0.0.1", jobs: [] },
    delivery: {
      lingerMs: 10,
      batchSize: 100,
      buffer: { dir, maxBytes: 1_000_000, maxAgeMs: 60_000, whenFull: "drop-oldest" },
    },
    manager,
    kafka: { bootstrapServers: ["127.0.0.1:9"] },
    metrics: new ConnectMetrics(),
    log: silentLog,
    schedule: realSchedule,
  };
  const first = await SourceRunner.start(options).then(
    () => assert.fail("started with a protocol no driver speaks"),
    (error: unknown) => error,
  );
  const second = await SourceRunner.start(options).then(
    () => assert.fail("started with a protocol no driver speaks"),
    (error: unknown) => error,
  );
  assert.equal(
    (second as Error).message,
    (first as Error).message,
    "the second start fails for the same reason, not because the buffer is still locked",
  );
  assert.doesNotMatch((second as Error).message, /already open/);
});

/** Above the runner's 2 s grace, far below the client's own give-up (30 s per request, retried). */
const PROMPT_STOP_MS = 15_000;

for (const exactlyOnce of [false, true]) {
  const delivery = exactlyOnce ? "exactly once" : "at least once";
  it(`stop ends soon after its grace when Kafka does not answer (${delivery}); the records wait in the buffer`, async (t) => {
    const silent = await silentKafka(t);
    const dir = await mkdtemp(join(tmpdir(), "fabrik-runner-"));
    const manager = new ConnectionManager({ registry: drivers });
    t.after(async () => {
      await manager.close();
      await rm(dir, { recursive: true, force: true });
    });
    const { config } = validateConnectorConfig({
      name: "line",
      sources: {
        press: {
          url: "simulated://lab",
          jobs: [{ name: "status", interval: "50ms", tags: { level: "RANDOM/level:DINT" }, topic: "line.press" }],
        },
      },
      buffer: { dir },
    });
    let onBuffered: () => void = () => {};
    const buffered = new Promise<void>((resolve) => {
      onBuffered = resolve;
    });
    const runner = await SourceRunner.start({
      connector: "line",
      workerId: "test-worker",
      source: config.sources[0]!,
      delivery: config.delivery,
      manager,
      kafka: silent.kafka,
      metrics: new ConnectMetrics(),
      log: silentLog,
      schedule: realSchedule,
      onBuffered,
      ...(exactlyOnce ? { exactlyOnce: { transactionalId: "fabrik-test-line-press", offsetsTopic: "offsets" } } : {}),
    });
    await buffered;
    await silent.asked;
    const started = performance.now();
    await runner.stop();
    const took = performance.now() - started;
    assert.ok(took < PROMPT_STOP_MS, `stop took ${Math.round(took)} ms`);
    const buffer = await StoreAndForward.open(join(dir, "line", "press"), {
      maxBytes: 1_000_000,
      maxAgeMs: 60_000,
      whenFull: "drop-oldest",
    });
    t.after(() => buffer.close());
    assert.ok(buffer.recovery.records > 0, "what Kafka never took waits for the next run");
  });
}
