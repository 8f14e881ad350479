// The Kafka the demo runs on: the cluster in KAFKA_BOOTSTRAP_SERVERS, the broker `fabrik kafka start` left running,
// or a local broker it starts itself (and stops when it stops).
import { type KafkaConfig, kafkaConfigFromEnv, runningBroker, useKafka } from "../kafka/index.ts";

export interface DemoKafka {
  readonly config: KafkaConfig;
  /** For the progress line: where the cluster is and whose it is. */
  readonly description: string;
  /** Whether the demo started the broker, and so stops it. */
  readonly started: boolean;
  /** Settles if the broker the demo started ends, whoever ended it; never for a broker it did not start. */
  readonly exited: Promise<void>;
  stop(): Promise<void>;
}

export interface DemoKafkaOptions {
  /** The local broker's folder, kept between runs so that the demo's topics (and its pipeline) are too. */
  readonly dir: string;
  /** Client port of a broker the demo starts. */
  readonly port: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (line: string) => void;
}

export async function demoKafka(options: DemoKafkaOptions): Promise<DemoKafka> {
  const env = options.env ?? process.env;
  // KAFKA_BOOTSTRAP_SERVERS first, as useKafka has it; only without it may `fabrik kafka start`'s broker serve.
  const running = kafkaConfigFromEnv(env) === undefined ? await runningBroker(options.dir) : undefined;
  if (running) {
    const bootstrap = `${running.host}:${running.port}`;
    return {
      config: { bootstrapServers: [bootstrap] },
      description: `the local broker already running at ${bootstrap} (pid ${running.pid}; 'fabrik kafka stop' stops it)`,
      started: false,
      exited: new Promise(() => {}),
      stop: async () => {},
    };
  }
  const used = await useKafka({
    dir: options.dir,
    port: options.port,
    env,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    config: used.config,
    description: used.broker === undefined ? used.description : `${used.description} (folder ${options.dir})`,
    started: used.broker !== undefined,
    exited: used.broker?.exited.then(() => {}) ?? new Promise(() => {}),
    stop: () => used.stop(),
  };
}
