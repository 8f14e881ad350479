// The local broker launcher against real Apache Kafka: failures say what and where, and no JVM outlives its owner.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { KafkaError, isProcessRunning as processAlive, resolveKafka, startBroker } from "../../src/kafka/index.ts";
import { eventually } from "../support/kafka.ts";

const root = await mkdtemp(join(tmpdir(), "fabrik-broker-"));
after(() => rm(root, { recursive: true, force: true }));

test("a taken port is refused at once, naming the port and what to do", async () => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
  const port = (squatter.address() as { port: number }).port;
  try {
    await assert.rejects(startBroker({ dir: join(root, "taken"), port }), (error: unknown) => {
      assert.ok(error instanceof KafkaError);
      assert.equal(error.code, "PORT_TAKEN");
      assert.equal(error.message, `the client port 127.0.0.1:${port} is already in use.`);
      assert.match(error.hint ?? "", /--port/);
      return true;
    });
  } finally {
    squatter.close();
  }
});

test("a broker that dies while starting is reported with the tail of its log", async () => {
  const dir = join(root, "dies");
  const broker = await startBroker({ dir, heapMb: 256 });
  await broker.stop();
  // The storage was formatted for node 1; a broker told it is node 2 refuses to start, as Kafka should.
  await assert.rejects(
    startBroker({
      ...broker.options,
      config: { "node.id": 2, "controller.quorum.voters": `2@127.0.0.1:${broker.options.controllerPort}` },
    }),
    (error: unknown) => {
      assert.ok(error instanceof KafkaError);
      assert.equal(error.code, "BROKER_FAILED");
      assert.match(error.message, /exited with status \d+ while starting/);
      assert.match(error.hint ?? "", /server\.log/);
      assert.match(error.logTail ?? "", /node.?id/i, "the log tail shows Kafka's own reason");
      return true;
    },
  );
});

test("a broker whose owning process is killed is stopped by its watchdog", async () => {
  const dist = await resolveKafka();
  const dir = join(root, "orphan");
  // A separate Node process starts an attached broker, prints the JVM's pid, and is then killed with SIGKILL.
  const script = `
    import { startBroker } from ${JSON.stringify(new URL("../../src/kafka/index.ts", import.meta.url).href)};
    const broker = await startBroker({ dir: ${JSON.stringify(dir)}, heapMb: 256 });
    console.log(broker.state.pid);
    setInterval(() => {}, 1000);
  `;
  const owner = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(owner.stdout, "data")) as [Buffer];
  const jvm = Number(line.toString().trim());
  assert.ok(jvm > 0 && processAlive(jvm), `the broker's JVM runs (pid ${jvm}, Kafka ${dist.version})`);
  owner.kill("SIGKILL");
  // The JVM is the watchdog's child, not this process's: nothing here is told when it ends, so its pid is polled.
  await eventually("the orphaned JVM to be stopped", () => !processAlive(jvm), 60_000);
});
