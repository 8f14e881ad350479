// `fabrik kafka start|stop|status|logs`: a local Apache Kafka broker for development and the demo.
import { createReadStream, existsSync, watch } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import {
  answersMetadata,
  defaultBrokerDir,
  KafkaError,
  kafkaConfigFromEnv,
  logTail,
  parseHostPort,
  type RunningBroker,
  runningBroker,
  startBroker,
  stopRunningBroker,
} from "../kafka/index.ts";
import {
  type Command,
  HELP_OPTION,
  interrupted,
  numberOption,
  parseCommandArgs,
  portOption,
  UsageError,
} from "./command.ts";

const HELP = `Usage: fabrik kafka <start|stop|status|logs> [options]

Runs a single-node Apache Kafka broker (KRaft) on this machine for development and the demo. The first start fetches
Apache Kafka from Maven Central with Maven (cached in ~/.cache/fabrik); with KAFKA_HOME set, that distribution is used.
With KAFKA_BOOTSTRAP_SERVERS set, Fabrik uses that cluster and starts nothing.

Commands:
  start     start the broker in the background (or --foreground: until Ctrl-C)
  stop      stop the broker started by 'fabrik kafka start'
  status    say whether the broker runs, where, and whether it answers (exit 3 when it does not run)
  logs      print the broker's log (-n lines, -f to follow)

Options:
  --bootstrap <host:port,...>  use this existing cluster (as KAFKA_BOOTSTRAP_SERVERS does): start nothing
  --port <n>       client port (default 9092)
  --host <addr>    address to listen on (default 127.0.0.1)
  --dir <path>     the broker's folder: config, data, log (default ~/.local/state/fabrik/kafka, or $FABRIK_STATE_DIR/kafka)
  --foreground     start: stay attached, stop the broker on Ctrl-C
  -n <lines>       logs: how many lines (default 50)
  -f, --follow     logs: keep printing new lines
  -h, --help       this help

Environment: KAFKA_BOOTSTRAP_SERVERS, KAFKA_HOME, JAVA_HOME, FABRIK_CACHE_DIR, FABRIK_STATE_DIR.`;

const OPTIONS = {
  bootstrap: { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  dir: { type: "string" },
  foreground: { type: "boolean" },
  n: { type: "string", short: "n" },
  follow: { type: "boolean", short: "f" },
  ...HELP_OPTION,
} as const;

export const kafkaCommand: Command = {
  name: "kafka",
  summary: "run a local Apache Kafka broker: start, stop, status, logs",
  help: HELP,
  async run(args) {
    const parsed = parseCommandArgs("kafka", HELP, args, OPTIONS, 1);
    if (!parsed) return 0;
    const [action] = parsed.positionals;
    const v = parsed.values;
    if (v.bootstrap !== undefined) useCluster(v.bootstrap);
    const dir = v.dir ?? defaultBrokerDir();
    try {
      switch (action) {
        case "start":
          return await start(
            dir,
            v.host ?? "127.0.0.1",
            portOption("kafka", "--port", v.port, 9092, false),
            v.foreground ?? false,
          );
        case "stop":
          return await stop(dir);
        case "status":
          return await status(dir);
        case "logs":
          return await logs(dir, numberOption("kafka", "-n", v.n, 50, { min: 1, whole: true }), v.follow ?? false);
        case undefined:
          throw new UsageError("kafka: say what to do: start, stop, status or logs");
        default:
          throw new UsageError(`kafka: unknown action '${action}'; expected start, stop, status or logs`);
      }
    } catch (error) {
      if (error instanceof KafkaError) {
        process.stderr.write(`fabrik kafka: ${error.describe()}\n`);
        return 1;
      }
      throw error;
    }
  },
};

/** `--bootstrap`: checked here so a mistake names the option, then used as KAFKA_BOOTSTRAP_SERVERS is. */
export function useCluster(servers: string, command = "kafka"): void {
  const list = servers.split(",").map((s) => s.trim());
  for (const server of list) {
    try {
      parseHostPort(server, "--bootstrap");
    } catch (error) {
      throw new UsageError(`${command}: ${(error as Error).message}`);
    }
  }
  process.env.KAFKA_BOOTSTRAP_SERVERS = list.join(",");
}

/** True when KAFKA_BOOTSTRAP_SERVERS names a cluster to use instead of a local broker; says so. */
function usesExistingCluster(): boolean {
  const external = kafkaConfigFromEnv();
  if (!external) return false;
  process.stdout.write(
    `Using the Kafka cluster at ${external.bootstrapServers.join(",")} (KAFKA_BOOTSTRAP_SERVERS); no local broker is started.\n`,
  );
  return true;
}

function readyMessage(bootstrap: string, dir: string, foreground: boolean): string {
  return `Kafka is ready at ${bootstrap}  (folder ${dir})

Use it from Fabrik or any Kafka client with bootstrap servers ${bootstrap}, e.g.
  export KAFKA_BOOTSTRAP_SERVERS=${bootstrap}
  npm test                      # the whole test suite, on this broker
${foreground ? "Press Ctrl-C to stop it." : "Stop it with 'fabrik kafka stop'; its log: 'fabrik kafka logs -f'."}
`;
}

async function start(dir: string, host: string, port: number, foreground: boolean): Promise<number> {
  if (usesExistingCluster()) return 0;
  const existing = await runningBroker(dir);
  if (existing) {
    process.stdout.write(
      `Kafka is already running at ${existing.host}:${existing.port} (pid ${existing.pid}, folder ${dir}).\n`,
    );
    return 0;
  }
  const progress = (line: string) => process.stderr.write(`fabrik kafka: ${line}\n`);
  const broker = await startBroker({ dir, host, port, detached: !foreground, onProgress: progress });
  process.stdout.write(readyMessage(broker.bootstrap, dir, foreground));
  if (!foreground) return 0;
  return await untilInterrupted(broker);
}

async function untilInterrupted(broker: RunningBroker): Promise<number> {
  const stopped = interrupted().then(() => "signal" as const);
  const died = broker.exited.then(() => "exited" as const);
  const why = await Promise.race([stopped, died]);
  if (why === "signal") {
    process.stderr.write("fabrik kafka: stopping the broker…\n");
    await broker.stop();
    process.stderr.write("fabrik kafka: stopped.\n");
    return 0;
  }
  process.stderr.write(`fabrik kafka: the broker stopped unexpectedly.\n${await logTail(broker.logFile)}\n`);
  await broker.stop();
  return 1;
}

async function stop(dir: string): Promise<number> {
  if (usesExistingCluster()) return 0;
  const state = await runningBroker(dir);
  if (!state) {
    process.stdout.write(`No Kafka broker is running from ${dir}.\n`);
    return 0;
  }
  process.stderr.write(`fabrik kafka: stopping the broker (pid ${state.pid})…\n`);
  await stopRunningBroker(dir);
  process.stdout.write("Kafka stopped.\n");
  return 0;
}

async function status(dir: string): Promise<number> {
  const external = kafkaConfigFromEnv();
  if (external) {
    const ok = await answersMetadata(external.bootstrapServers[0] ?? "");
    process.stdout.write(
      `Using the cluster at ${external.bootstrapServers.join(",")} (KAFKA_BOOTSTRAP_SERVERS): ${ok ? "answers" : "does not answer"}.\n`,
    );
    return ok ? 0 : 1;
  }
  const state = await runningBroker(dir);
  if (!state) {
    process.stdout.write(`Kafka is not running (folder ${dir}). Start it with 'fabrik kafka start'.\n`);
    return 3;
  }
  const bootstrap = `${state.host}:${state.port}`;
  const ok = await answersMetadata(bootstrap);
  process.stdout.write(
    `${[
      `Kafka ${state.version} is running at ${bootstrap}${ok ? "" : " but does NOT answer metadata requests"}`,
      `  pid ${state.pid}, started ${state.startedAt}${state.detached ? "" : " (attached to the process that started it)"}`,
      `  folder ${dir}, log ${join(dir, "server.log")}`,
    ].join("\n")}\n`,
  );
  return ok ? 0 : 1;
}

async function logs(dir: string, lines: number, follow: boolean): Promise<number> {
  const file = join(dir, "server.log");
  if (!existsSync(file)) {
    process.stdout.write(`There is no broker log yet at ${file}.\n`);
    return 0;
  }
  const tail = await logTail(file, lines);
  if (tail) process.stdout.write(`${tail}\n`);
  if (!follow) return 0;
  let position = (await stat(file)).size;
  const watcher = watch(file);
  const stopped = interrupted();
  watcher.on("change", () => {
    void (async () => {
      const size = (await stat(file)).size;
      if (size < position) position = 0;
      if (size === position) return;
      const from = position;
      position = size;
      createReadStream(file, { start: from, end: size - 1 }).pipe(process.stdout, { end: false });
    })();
  });
  await stopped;
  watcher.close();
  return 0;
}
