// The Kafka a Fabrik process works against: the cluster in KAFKA_BOOTSTRAP_SERVERS, or a broker it starts itself.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningBroker, startBroker } from "./broker.ts";
import { type KafkaConfig, kafkaConfigFromEnv } from "./client.ts";

export interface UsedKafka {
  readonly config: KafkaConfig;
  /** The broker this process started, when it started one. */
  readonly broker: RunningBroker | undefined;
  /** For people: where the cluster is and whose it is. */
  readonly description: string;
  /** Stops the broker this process started (and removes its folder if it was temporary); nothing otherwise. */
  stop(): Promise<void>;
}

export interface UseKafkaOptions {
  /** The broker's folder; absent: a temporary one, removed on stop. */
  readonly dir?: string;
  readonly port?: number;
  readonly heapMb?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (line: string) => void;
}

export async function useKafka(options: UseKafkaOptions = {}): Promise<UsedKafka> {
  const env = options.env ?? process.env;
  const external = kafkaConfigFromEnv(env);
  if (external) {
    return {
      config: external,
      broker: undefined,
      description: `the Kafka cluster at ${external.bootstrapServers.join(",")} (KAFKA_BOOTSTRAP_SERVERS)`,
      stop: async () => {},
    };
  }
  const temporary = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "fabrik-kafka-")));
  const broker = await startBroker({
    dir,
    port: options.port,
    heapMb: options.heapMb,
    env,
    onProgress: options.onProgress,
  });
  return {
    config: { bootstrapServers: [broker.bootstrap] },
    broker,
    description: `a local Apache Kafka ${broker.state.version} broker at ${broker.bootstrap}`,
    stop: async () => {
      await broker.stop();
      if (temporary) await rm(dir, { recursive: true, force: true });
    },
  };
}
