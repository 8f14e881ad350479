// What the source tests share: a one-partition topic, and the simulated plant on a free port, fast enough for 100 ms polls.
import { createAdmin, type KafkaConfig } from "../../../src/kafka/index.ts";
import { Simulator } from "../../../src/sim/runner.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { freePort } from "../../support/ports.ts";

export async function createTopic(kafka: KafkaConfig, prefix: string): Promise<string> {
  const topic = uniqueTopic(prefix);
  const admin = createAdmin(kafka);
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  await admin.close();
  return topic;
}

/** Speed 5: the sequence registers step every 20 ms, so polls 100 ms apart never read the same value twice. */
export async function startPlant(seed: number): Promise<{ readonly sim: Simulator; readonly port: number }> {
  const port = await freePort();
  const sim = new Simulator({ seed, speed: 5, modbus: { port } });
  await sim.start();
  return { sim, port };
}
