// `fabrik demo`: the demo plant in one command — Kafka, simulator, connector, SQL engine, pipeline, web UI — until Ctrl-C.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConnectLog } from "../connect/log.ts";
import { DemoError } from "../demo/errors.ts";
import { type DemoStep, type DemoUi, type RunningDemo, startDemo } from "../demo/run.ts";
import { isLoopback } from "../http/index.ts";
import { defaultBrokerDir } from "../kafka/index.ts";
import { SimModelError } from "../sim/model/index.ts";
import { MAX_SPEED, MIN_SPEED, Simulator } from "../sim/runner.ts";
import {
  type Command,
  HELP_OPTION,
  interrupted,
  numberOption,
  parseCommandArgs,
  portOption,
  UsageError,
} from "./command.ts";
import { useCluster } from "./kafka.ts";
import { calendarOption, SEED_RANGE, SPEED_RANGE } from "./sim.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CONNECTOR_FILE = join(ROOT, "examples", "demo-plant", "connect.yaml");
const PIPELINE_FILE = join(ROOT, "examples", "demo-plant", "pipeline.sql");
/** The SQL engine's service id: a second run with it finds the pipeline in the command topic. */
const SERVICE_ID = "demo-plant";
const DEFAULT_PORTS = { kafka: 9092, modbus: 5020, s7: 1102, connect: 8083, sql: 8088, ui: 8080 } as const;

const HELP = `Usage: fabrik demo [options]

Runs the demo plant in one process, a line per step, then says where everything is:
  Kafka        the cluster in KAFKA_BOOTSTRAP_SERVERS (or --bootstrap), else the local broker ('fabrik kafka start''s,
               or one the demo starts and stops)
  simulator    the seven machines of the plant on Modbus TCP (docs/simulator.md)
  connector    examples/demo-plant/connect.yaml: every machine into plant.<machine> every second
  SQL engine   service '${SERVICE_ID}', running examples/demo-plant/pipeline.sql (docs/demo.md)
  web UI       the live plant, trends, alerts, SQL and connectors at http://127.0.0.1:${DEFAULT_PORTS.ui} (docs/server.md)
Ctrl-C stops it all in reverse order. Topics and the pipeline stay in Kafka: the next run only applies what is missing.

Options:
  --seed <n>            seed of the plant's randomness (default 1)
  --speed <x>           simulated seconds per real second, ${MIN_SPEED}..${MAX_SPEED} (default 1)
  --fault <name>        turn a fault on from the start, e.g. conveyor.bearing (repeatable; 'fabrik sim --describe')
  --calendar <name>     round-the-clock (the default: the line works whenever the demo runs) or three-shifts
  --fresh               start over: delete the demo's topics, consumer groups, SQL service and connector buffer
  --bootstrap <h:p,…>   use this Kafka cluster (as KAFKA_BOOTSTRAP_SERVERS does)
  --kafka-port <n>      port of a broker the demo starts (default ${DEFAULT_PORTS.kafka})
  --modbus-port <n>     the simulator's Modbus TCP port (default ${DEFAULT_PORTS.modbus})
  --s7-port <n>         the simulator's S7 port, ISO-on-TCP (default ${DEFAULT_PORTS.s7}; PLCs use 102, which needs root)
  --connect-port <n>    the connector's REST API (default ${DEFAULT_PORTS.connect}, Kafka Connect's)
  --sql-port <n>        the SQL engine's REST API (default ${DEFAULT_PORTS.sql}, ksqlDB's)
  --ui-port <n>         the web UI with both APIs under /api/ (default ${DEFAULT_PORTS.ui})
                        (a port of 0 picks a free one; everything listens on 127.0.0.1 only, but see --host)
  --host <addr>         address of the web UI (default 127.0.0.1); any other needs --token
  --token <t>           require this token to use the web UI and its APIs (or set FABRIK_UI_TOKEN)
  -h, --help            this help

The parts' own log goes to <state>/demo/demo.log (FABRIK_STATE_DIR, default ~/.local/state/fabrik); warnings and
errors to stderr as well.`;

const OPTIONS = {
  seed: { type: "string" },
  speed: { type: "string" },
  fault: { type: "string", multiple: true },
  calendar: { type: "string" },
  fresh: { type: "boolean" },
  bootstrap: { type: "string" },
  "kafka-port": { type: "string" },
  "modbus-port": { type: "string" },
  "s7-port": { type: "string" },
  "connect-port": { type: "string" },
  "sql-port": { type: "string" },
  "ui-port": { type: "string" },
  host: { type: "string" },
  token: { type: "string" },
  ...HELP_OPTION,
} as const;

export const demoCommand: Command = {
  name: "demo",
  summary: "run the demo plant: simulator -> connector -> Kafka -> SQL pipeline, in one command",
  help: HELP,
  async run(args) {
    const parsed = parseCommandArgs("demo", HELP, args, OPTIONS);
    if (!parsed) return 0;
    const v = parsed.values;
    if (v.bootstrap !== undefined) useCluster(v.bootstrap, "demo");
    const calendar = calendarOption("demo", v.calendar, "round-the-clock");
    const faults = v.fault ?? [];
    const seed = numberOption("demo", "--seed", v.seed, 1, SEED_RANGE);
    try {
      // A plant without faces, only to have unknown fault names refused before anything starts.
      new Simulator({ seed, faults, modbus: false });
    } catch (error) {
      if (error instanceof SimModelError) throw new UsageError(`demo: ${error.message}`);
      throw error;
    }
    const ui = uiOptions(v.host, v.token ?? process.env.FABRIK_UI_TOKEN);
    const brokerDir = defaultBrokerDir();
    const stateDir = join(dirname(brokerDir), "demo");
    return run({
      connectorFile: CONNECTOR_FILE,
      pipelineFile: PIPELINE_FILE,
      serviceId: SERVICE_ID,
      brokerDir,
      stateDir,
      ports: {
        kafka: portOption("demo", "--kafka-port", v["kafka-port"], DEFAULT_PORTS.kafka),
        modbus: portOption("demo", "--modbus-port", v["modbus-port"], DEFAULT_PORTS.modbus),
        s7: portOption("demo", "--s7-port", v["s7-port"], DEFAULT_PORTS.s7),
        connect: portOption("demo", "--connect-port", v["connect-port"], DEFAULT_PORTS.connect),
        sql: portOption("demo", "--sql-port", v["sql-port"], DEFAULT_PORTS.sql),
        ui: portOption("demo", "--ui-port", v["ui-port"], DEFAULT_PORTS.ui),
      },
      ui,
      seed,
      speed: numberOption("demo", "--speed", v.speed, 1, SPEED_RANGE),
      calendar,
      faults,
      fresh: v.fresh ?? false,
    });
  },
};

/** The web UI's address and token, checked before anything starts. */
function uiOptions(host: string | undefined, token: string | undefined): DemoUi {
  if (token !== undefined && token.length === 0) {
    throw new UsageError("demo: --token (or FABRIK_UI_TOKEN) is empty: give a long random string");
  }
  if (host !== undefined && host.length === 0) throw new UsageError("demo: --host is empty: give an address");
  if (host !== undefined && !isLoopback(host) && token === undefined) {
    throw new UsageError(
      `demo: --host ${host} needs --token <t> (or FABRIK_UI_TOKEN): anyone who reaches the web UI could run SQL and ` +
        "change connectors that write to machines",
    );
  }
  return { ...(host === undefined ? {} : { host }), ...(token === undefined ? {} : { auth: { token } }) };
}

type RunOptions = Omit<Parameters<typeof startDemo>[0], "log" | "progress" | "signal" | "onStop">;

async function run(options: RunOptions): Promise<number> {
  const log = fileLog(join(options.stateDir, "demo.log"));
  const say = (line: string) => process.stdout.write(`fabrik demo: ${line}\n`);
  const abort = new AbortController();
  // Listening from the start: Ctrl-C during start-up stops what started, instead of killing the process mid-way.
  const stopAsked = interrupted().then(() => abort.abort());
  let demo: RunningDemo;
  try {
    demo = await startDemo({
      ...options,
      log,
      progress: (_step, line) => say(line),
      signal: abort.signal,
      onStop: sayStopping,
    });
  } catch (error) {
    if (error instanceof DemoError && error.code === "DEMO_ABORTED") {
      process.stderr.write("fabrik demo: stopped.\n");
      return 130;
    }
    process.stderr.write(
      `fabrik demo: ${error instanceof DemoError ? error.message : String(error)}${portHint(error)}\n`,
    );
    return 1;
  }
  process.stdout.write(readyMessage(demo));
  const why = await Promise.race([
    stopAsked.then(() => "signal" as const),
    demo.brokerExited.then(() => "broker" as const),
  ]);
  if (why === "broker")
    process.stderr.write("fabrik demo: the Kafka broker stopped unexpectedly; stopping the demo.\n");
  await demo.stop(sayStopping);
  process.stderr.write("fabrik demo: stopped.\n");
  return why === "signal" ? 0 : 1;
}

function sayStopping(step: DemoStep): void {
  process.stderr.write(`fabrik demo: stopping ${STEP_NAMES[step]}…\n`);
}

const STEP_NAMES: Readonly<Record<DemoStep, string>> = {
  reset: "the reset",
  kafka: "Kafka",
  simulator: "the simulator",
  connector: "the connector",
  sql: "the SQL engine",
  ui: "the web UI",
  pipeline: "the pipeline",
};

const PORT_OPTIONS: Partial<Record<DemoStep, string>> = {
  kafka: "--kafka-port",
  simulator: "--modbus-port or --s7-port",
  connector: "--connect-port",
  sql: "--sql-port",
  ui: "--ui-port",
};

/** For a step that failed on a taken port: which option moves it. */
function portHint(error: unknown): string {
  if (!(error instanceof DemoError) || error.code !== "DEMO_STEP_FAILED") return "";
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  const option = PORT_OPTIONS[error.where as DemoStep];
  if ((code !== "EADDRINUSE" && code !== "PORT_TAKEN") || option === undefined) return "";
  return `\nThe port is taken: stop what listens there, or choose another with ${option} (0 picks a free one).`;
}

/** The block people read once everything runs: where each part is, and what to try first. */
export function readyMessage(demo: RunningDemo): string {
  const bootstrap = demo.kafka.config.bootstrapServers.join(",");
  const pipeline = relative(process.cwd(), PIPELINE_FILE) || PIPELINE_FILE;
  return `
Fabrik demo is ready. Ctrl-C stops everything.

  Kafka             ${bootstrap}
  Plant (Modbus)    modbus-tcp://${demo.modbusAddress}   units 1..7: 'fabrik sim --describe' lists the addresses
  Plant (S7)        s7://${demo.s7Address}   DB1..DB7 of an S7-1500; the connector reads the press here
  Connector API     ${demo.connectUrl}   Kafka Connect's REST API
  SQL API           ${demo.sqlUrl}   ksqlDB's REST API; the pipeline: ${pipeline}

Try (fabrik = npm run fabrik --, see docs/demo.md):
  fabrik sql ${demo.sqlUrl}
    SELECT * FROM MACHINE_STATS_1M WHERE MACHINE_ID = 'press';
    SELECT MACHINE_ID, SHIFT, AVAILABILITY, PERFORMANCE, QUALITY, OEE FROM OEE_BY_SHIFT;
    SELECT MACHINE_ID, STATE_NAME, WATCH_SIGNAL, WATCH_VALUE FROM MACHINE_STATUS_ENRICHED EMIT CHANGES LIMIT 14;
  curl -s ${demo.connectUrl}/connectors/${demo.connectorName}/status
  curl -s ${demo.connectUrl}/sources/conveyor/tags

Open the web UI: ${demo.uiUrl}
`;
}

/** The parts' log: every line to the file, warnings and errors to stderr too. */
function fileLog(path: string): ConnectLog {
  mkdirSync(dirname(path), { recursive: true });
  const write = (level: string, message: string) => {
    const line = `${new Date().toISOString()} ${level} ${message}\n`;
    appendFileSync(path, line);
    if (level !== "INFO") process.stderr.write(line);
  };
  return {
    info: (message) => write("INFO", message),
    warn: (message) => write("WARN", message),
    error: (message) => write("ERROR", message),
  };
}
