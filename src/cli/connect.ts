// `fabrik connect run|worker|check`: connectors from files or from the REST API, on one worker or a group of them.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import {
  ConfigError,
  configFormatOf,
  connectorDocument,
  formatProblem,
  loadConnectorConfig,
  parseDuration,
} from "../connect/config/index.ts";
import type { ConnectLog } from "../connect/log.ts";
import { ConnectMetrics } from "../connect/rest/metrics.ts";
import { type RestServer, startRestServer } from "../connect/rest/server.ts";
import { type StartedWorker, startConnectWorker } from "../connect/worker/start.ts";
import { freePort, urlHost } from "../http/index.ts";
import { type KafkaConfig, KafkaError, kafkaConfigFromEnv } from "../kafka/index.ts";
import { errorMessage } from "../plc/index.ts";
import { type Command, HELP_OPTION, interrupted, parseCommandArgs, portOption, UsageError } from "./command.ts";
import { useCluster } from "./kafka.ts";
import { applyMemoryMode, parseMemoryMode } from "./memory-mode.ts";

const HELP = `Usage: fabrik connect <run|worker|check> [options] [file...]

Moves PLC data into Kafka (sources) and Kafka records to PLCs (sinks), as Kafka Connect with the PLC4X connector does.
Connector files are Fabrik YAML/JSON or PLC4X's own .properties / Kafka Connect JSON (see docs/connect.md).

Commands:
  run <file...>  check the files, then run their connectors on this worker, with the REST API and /metrics
  worker         run a worker of a group; connectors come and go through the REST API (Kafka Connect's)
  check <file...> check the files and print every problem; needs no Kafka

Options:
  --bootstrap <host:port,...>  the Kafka cluster (default KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)
  --group <id>         workers with the same group share its connectors and take over from each other
                       (default: run: the connectors' names joined by '+'; worker: default)
  --worker-id <id>     how this worker shows in statuses (default <hostname>:<rest port>)
  --rest-host <addr>   address of the REST API (default 127.0.0.1; any other requires --rest-token)
  --rest-port <n>      port of the REST API (default 8083; 0 picks a free one)
  --rest-token <t>     require 'Authorization: Bearer <t>' (or set FABRIK_CONNECT_TOKEN)
  --advertised-url <u> how the other workers of the group reach this one (default http://<rest-host>:<port>)
  --session-timeout <d>  a worker silent this long loses its tasks to the others (default 10s)
  --memory <lean|fast> lean (default): V8's memory saver, about 210 MB at 100,000 tags/s; fast: V8's defaults,
                       about 550 MB and a third of lean's CPU
  -h, --help           this help

A source keeps what Kafka has not taken in its on-disk buffer (buffer.dir in the file, default .fabrik/buffer next to
it) and replays it in order; stopping with Ctrl-C loses nothing.`;

const OPTIONS = {
  bootstrap: { type: "string" },
  group: { type: "string" },
  "worker-id": { type: "string" },
  "rest-host": { type: "string" },
  "rest-port": { type: "string" },
  "rest-token": { type: "string" },
  "advertised-url": { type: "string" },
  "session-timeout": { type: "string" },
  memory: { type: "string" },
  ...HELP_OPTION,
} as const;

interface Values {
  readonly bootstrap?: string | undefined;
  readonly group?: string | undefined;
  readonly "worker-id"?: string | undefined;
  readonly "rest-host"?: string | undefined;
  readonly "rest-port"?: string | undefined;
  readonly "rest-token"?: string | undefined;
  readonly "advertised-url"?: string | undefined;
  readonly "session-timeout"?: string | undefined;
  readonly memory?: string | undefined;
}

export const connectCommand: Command = {
  name: "connect",
  summary: "run connectors: PLC -> Kafka sources and Kafka -> PLC sinks, with Kafka Connect's REST API",
  help: HELP,
  async run(args) {
    const parsed = parseCommandArgs("connect", HELP, args, OPTIONS, Number.POSITIVE_INFINITY);
    if (!parsed) return 0;
    const [action, ...files] = parsed.positionals;
    switch (action) {
      case "check":
        if (files.length === 0) throw new UsageError("connect check: name at least one connector file");
        return check(files);
      case "run":
        if (files.length === 0) throw new UsageError("connect run: name at least one connector file");
        return run(files, parsed.values);
      case "worker":
        if (files.length > 0) throw new UsageError(`connect worker: unexpected argument '${files[0]}'`);
        return run([], parsed.values);
      case undefined:
        throw new UsageError("connect: say what to do: run, worker or check");
      default:
        throw new UsageError(`connect: unknown action '${action}'; expected run, worker or check`);
    }
  },
};

/** A connector file read: its document as given (what the group stores) and its name. */
interface ConnectorFile {
  readonly path: string;
  readonly name: string;
  readonly document: Readonly<Record<string, unknown>>;
  readonly baseDir: string;
}

async function check(paths: readonly string[]): Promise<number> {
  const { failed } = await readFiles(paths);
  return failed ? 1 : 0;
}

/** Checks every file; prints every problem of every file (nothing starts unless all are good). */
async function readFiles(
  paths: readonly string[],
): Promise<{ readonly files: ConnectorFile[]; readonly failed: boolean }> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const files: ConnectorFile[] = [];
  let failed = false;
  for (const path of paths) {
    try {
      const loaded = await loadConnectorConfig(path);
      for (const note of loaded.notes) say(`${path}: note: ${note}`);
      files.push({
        path,
        name: loaded.config.name,
        // Read again for the document the group stores, as a REST body would carry it (the check above passed).
        document: connectorDocument(await readFile(path, "utf8"), configFormatOf(path)!) as Record<string, unknown>,
        baseDir: dirname(resolve(path)),
      });
      const { sources, sinks } = loaded.config;
      say(`${path}: OK: connector ${loaded.config.name} (${sources.length} sources, ${sinks.length} sinks)`);
    } catch (error) {
      failed = true;
      if (error instanceof ConfigError) {
        process.stderr.write(`${path}: ${error.problems.length} problem(s):\n`);
        for (const problem of error.problems) process.stderr.write(`  ${formatProblem(problem)}\n`);
      } else process.stderr.write(`${path}: ${errorMessage(error)}\n`);
    }
  }
  const names = new Set<string>();
  for (const file of files) {
    if (names.has(file.name)) {
      failed = true;
      process.stderr.write(`${file.path}: connector ${file.name} is also defined by an earlier file\n`);
    }
    names.add(file.name);
  }
  return { files, failed };
}

async function run(paths: readonly string[], values: Values): Promise<number> {
  const { files, failed } = await readFiles(paths);
  if (failed) {
    process.stderr.write("fabrik connect: nothing started; fix the problems above.\n");
    return 1;
  }
  if (values.bootstrap !== undefined) useCluster(values.bootstrap, "connect");
  const kafka: KafkaConfig = kafkaConfigFromEnv() ?? { bootstrapServers: ["127.0.0.1:9092"] };
  const token = values["rest-token"] ?? process.env.FABRIK_CONNECT_TOKEN;
  const host = values["rest-host"] ?? "127.0.0.1";
  const port = await choosePort(values["rest-port"], host);
  const workerId = values["worker-id"] ?? `${hostname()}:${port}`;
  const group = values.group ?? (files.length > 0 ? files.map((f) => f.name).join("+") : "default");
  const sessionTimeoutMs =
    values["session-timeout"] === undefined ? undefined : sessionTimeout(values["session-timeout"]);
  applyMemoryMode(parseMemoryMode(values.memory, "connect"));
  const metrics = new ConnectMetrics();
  const log = consoleLog();
  let started: StartedWorker | undefined;
  let rest: RestServer | undefined;
  try {
    started = await startConnectWorker({
      kafka,
      group,
      workerId,
      workerUrl: values["advertised-url"] ?? `http://${urlHost(host)}:${port}`,
      metrics,
      log,
      ...(sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs }),
      ...(token === undefined ? {} : { forwardAuthorization: `Bearer ${token}` }),
    });
    for (const file of files) {
      const { created } = await started.service.putConfig(file.name, file.document, file.baseDir);
      log.info(`connector ${file.name} ${created ? "created" : "updated"} from ${file.path}`);
    }
    rest = await startRestServer({
      service: started.service,
      metrics,
      host,
      port,
      ...(token === undefined ? {} : { auth: { token } }),
    });
    process.stdout.write(
      `fabrik connect: worker ${workerId} of group ${group} is running; REST API and /metrics at ${rest.url}. Ctrl-C stops.\n`,
    );
    await interrupted();
    log.info("stopping: sources write what they sampled to their buffers; unsent records wait there");
    return 0;
  } catch (error) {
    process.stderr.write(`fabrik connect: ${error instanceof KafkaError ? error.describe() : errorMessage(error)}\n`);
    return 1;
  } finally {
    await rest?.close();
    await started?.worker.close();
  }
}

async function choosePort(value: string | undefined, host: string): Promise<number> {
  const port = portOption("connect", "--rest-port", value, 8083);
  // The other workers must know the port before the API listens: ask the system for a free one first.
  return port === 0 ? await freePort(host) : port;
}

function sessionTimeout(value: string): number {
  const parsed = parseDuration(value, { min: 1_000, max: 300_000 });
  if (!parsed.ok) throw new UsageError(`connect: --session-timeout '${value}': ${parsed.message}`);
  return parsed.value;
}

function consoleLog(): ConnectLog {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level} ${message}\n`;
  return {
    info: (message) => process.stdout.write(line("INFO", message)),
    warn: (message) => process.stderr.write(line("WARN", message)),
    error: (message) => process.stderr.write(line("ERROR", message)),
  };
}
