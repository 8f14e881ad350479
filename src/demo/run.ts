// Starts the demo plant step by step — Kafka, simulator, connector, SQL engine, web UI, pipeline — and stops it in reverse.
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { relative } from "node:path";
import type { ConnectLog } from "../connect/log.ts";
import { ConnectMetrics } from "../connect/rest/metrics.ts";
import { startRestServer } from "../connect/rest/server.ts";
import { startConnectWorker } from "../connect/worker/start.ts";
import { freePort, type HttpAuth } from "../http/index.ts";
import { KafkaError } from "../kafka/index.ts";
import { errorMessage } from "../plc/index.ts";
import { startFabrikServer } from "../server/index.ts";
import type { CalendarConfig } from "../sim/model/index.ts";
import { Simulator } from "../sim/runner.ts";
import { startSqlServer } from "../sql/api/server.ts";
import { startSqlEngine } from "../sql/engine/index.ts";
import { type ApplyReport, applyPipeline } from "./apply-pipeline.ts";
import { FILE_SIMULATOR_ADDRESSES, loadDemoConnector } from "./connector.ts";
import { DemoError } from "./errors.ts";
import { demoFootprint, eraseFootprint } from "./fresh.ts";
import { type DemoKafka, demoKafka } from "./kafka.ts";
import { readPipelineScript } from "./pipeline-script.ts";

/** The demo's parts in start order; progress and stop lines name them. */
export type DemoStep = "reset" | "kafka" | "simulator" | "connector" | "sql" | "ui" | "pipeline";

export interface DemoPorts {
  /** Client port of a broker the demo starts (not used with an existing cluster). */
  readonly kafka: number;
  readonly modbus: number;
  /** The simulator's S7 face (ISO-on-TCP). */
  readonly s7: number;
  readonly connect: number;
  readonly sql: number;
  /** The web UI and its APIs (the Fabrik server). */
  readonly ui: number;
}

/** Where the web UI's server listens, and who may use it. The other parts always listen on loopback. */
export interface DemoUi {
  /** Default 127.0.0.1; any other address needs `auth`. */
  readonly host?: string;
  readonly auth?: HttpAuth;
  /** The built UI (default the repository's ui/dist). */
  readonly uiDir?: string;
}

export interface DemoOptions {
  readonly connectorFile: string;
  readonly pipelineFile: string;
  /** ksql.service.id of the SQL engine: a later run with the same id finds the pipeline in its command topic. */
  readonly serviceId: string;
  /** The folder of the local broker, kept between runs. */
  readonly brokerDir: string;
  /** The demo's own folder: the connector's buffer (a relative buffer dir in the connector file is relative to it). */
  readonly stateDir: string;
  readonly ports: DemoPorts;
  readonly ui?: DemoUi;
  readonly seed: number;
  readonly speed: number;
  readonly calendar: CalendarConfig;
  readonly faults: readonly string[];
  /** Remove what earlier runs left (topics, groups, buffer) before starting. */
  readonly fresh: boolean;
  /** The parts' own log lines (connector, SQL engine). */
  readonly log: ConnectLog;
  /** One line per step once it is done (and lines while the broker is fetched or started). */
  readonly progress: (step: DemoStep, line: string) => void;
  /** Aborting stops the start-up after the step under way (the pipeline: its statement) and stops what started. */
  readonly signal?: AbortSignal;
  /** Hears each part before it stops when a failed or aborted start-up stops what had started. */
  readonly onStop?: (step: DemoStep) => void;
}

export interface RunningDemo {
  readonly kafka: DemoKafka;
  readonly connectorName: string;
  readonly modbusAddress: string;
  /** The simulator's S7 face, `host:port`. */
  readonly s7Address: string;
  readonly connectUrl: string;
  readonly sqlUrl: string;
  /** The web UI, with the Connect API under /api/connect, the SQL API under /api/sql and the live feed. */
  readonly uiUrl: string;
  readonly pipeline: ApplyReport;
  /** Settles if the broker the demo started ends on its own. */
  readonly brokerExited: Promise<void>;
  /** Stops every part in reverse order; `onStep` hears each before it stops. */
  stop(onStep?: (step: DemoStep) => void): Promise<void>;
}

const HOST = "127.0.0.1";

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  // Both files first: a mistake in them should cost nothing, not a broker start.
  const pipeline = readPipelineScript(
    await readFile(options.pipelineFile, "utf8"),
    relative(process.cwd(), options.pipelineFile) || options.pipelineFile,
  );
  const fileConnector = await loadDemoConnector(options.connectorFile, FILE_SIMULATOR_ADDRESSES, options.stateDir);
  const stops: { step: DemoStep; stop: () => Promise<void> }[] = [];
  const stop = async (onStep?: (step: DemoStep) => void) => {
    let previous: DemoStep | undefined;
    for (const { step, stop: stopPart } of stops.splice(0).reverse()) {
      if (step !== previous) onStep?.(step);
      previous = step;
      // One part failing to stop must not leave the others (a broker's JVM) running.
      await stopPart().catch((error: unknown) => options.log.error(`stopping ${step}: ${errorMessage(error)}`));
    }
  };
  const step = async <T>(name: DemoStep, start: () => Promise<T>): Promise<T> => {
    if (options.signal?.aborted) throw aborted(name);
    try {
      return await start();
    } catch (error) {
      if (error instanceof DemoError) throw error;
      const message = error instanceof KafkaError ? error.describe() : errorMessage(error);
      throw new DemoError("DEMO_STEP_FAILED", name, message, error);
    }
  };
  try {
    const kafka = await step("kafka", () =>
      demoKafka({ dir: options.brokerDir, port: options.ports.kafka, onProgress: (l) => options.progress("kafka", l) }),
    );
    if (kafka.started) stops.push({ step: "kafka", stop: () => kafka.stop() });
    options.progress("kafka", `Kafka: ${kafka.description}`);

    if (options.fresh) {
      const footprint = demoFootprint({
        serviceId: options.serviceId,
        connectGroup: fileConnector.name,
        connector: fileConnector,
        pipeline,
      });
      const erased = await step("reset", () => eraseFootprint(kafka.config, footprint));
      options.progress(
        "reset",
        `fresh start: deleted ${erased.topics} topics and ${erased.groups} consumer groups of earlier runs, and the connector's buffer`,
      );
    }

    const simulator = await step("simulator", async () => {
      const sim = new Simulator({
        seed: options.seed,
        speed: options.speed,
        calendar: options.calendar,
        faults: options.faults,
        modbus: { host: HOST, port: options.ports.modbus },
        s7: { host: HOST, port: options.ports.s7 },
      });
      stops.push({ step: "simulator", stop: () => sim.stop() });
      await sim.start();
      return sim;
    });
    const modbusAddress = `${HOST}:${simulator.modbus?.port}`;
    const s7Address = `${HOST}:${simulator.s7?.port}`;
    const faults = simulator.plant.activeFaults();
    options.progress(
      "simulator",
      `simulator: ${simulator.gateway?.unitIds.length} machines on Modbus TCP ${modbusAddress} and S7 ${s7Address} ` +
        `(seed ${options.seed}, ` +
        `speed ${simulator.speed}x${faults.length > 0 ? `, faults ${faults.join(", ")}` : ""})`,
    );

    const connect = await step("connector", async () => {
      const connector = await loadDemoConnector(
        options.connectorFile,
        { modbus: modbusAddress, s7: s7Address },
        options.stateDir,
      );
      const port = options.ports.connect === 0 ? await freePort(HOST) : options.ports.connect;
      const metrics = new ConnectMetrics();
      const started = await startConnectWorker({
        kafka: kafka.config,
        group: connector.name,
        workerId: `demo@${hostname()}`,
        workerUrl: `http://${HOST}:${port}`,
        metrics,
        log: options.log,
        baseDir: options.stateDir,
      });
      stops.push({ step: "connector", stop: () => started.worker.close() });
      await started.service.putConfig(connector.name, connector.document, options.stateDir);
      const rest = await startRestServer({ service: started.service, metrics, host: HOST, port });
      stops.push({ step: "connector", stop: () => rest.close() });
      return { connector, url: rest.url, service: started.service, metrics };
    });
    options.progress(
      "connector",
      `connector: ${connect.connector.name}, ${connect.connector.config.sources.length} sources → ` +
        `${connect.connector.topics.join(", ")}; REST API at ${connect.url}`,
    );

    const sql = await step("sql", async () => {
      const engine = await startSqlEngine({ kafka: kafka.config, serviceId: options.serviceId, log: options.log });
      stops.push({ step: "sql", stop: () => engine.close() });
      const api = await startSqlServer(engine, {
        host: HOST,
        port: options.ports.sql,
        logger: { error: (message, error) => options.log.error(`${message}: ${errorMessage(error)}`) },
      });
      stops.push({ step: "sql", stop: () => api.close() });
      return { engine, url: api.url };
    });
    options.progress("sql", `SQL engine: service ${options.serviceId}; REST API at ${sql.url}`);

    const ui = await step("ui", async () => {
      const server = await startFabrikServer({
        host: options.ui?.host ?? HOST,
        port: options.ports.ui,
        ...(options.ui?.auth ? { auth: options.ui.auth } : {}),
        ...(options.ui?.uiDir ? { uiDir: options.ui.uiDir } : {}),
        kafka: kafka.config,
        connect: { service: connect.service, metrics: connect.metrics },
        sql: sql.engine,
        alerts: { table: "LIMIT_ALERTS", acks: "ALERT_ACKS" },
        log: options.log,
      });
      stops.push({ step: "ui", stop: () => server.close() });
      return server;
    });
    // The address goes last in the ready block, once: here only what the server offers.
    options.progress(
      "ui",
      `web UI: the live plant, trends, alerts, SQL and connectors${options.ui?.auth ? ", behind a token" : ""}`,
    );

    const report = await step("pipeline", () => applyPipeline(sql.engine, pipeline, options.signal));
    options.progress("pipeline", describeApply(pipeline.file, options.serviceId, report));
    if (options.signal?.aborted) throw aborted("pipeline");

    return {
      kafka,
      connectorName: connect.connector.name,
      modbusAddress,
      s7Address,
      connectUrl: connect.url,
      sqlUrl: sql.url,
      uiUrl: ui.url,
      pipeline: report,
      brokerExited: kafka.exited,
      stop,
    };
  } catch (error) {
    await stop(options.onStop);
    throw error;
  }
}

function aborted(step: DemoStep): DemoError {
  return new DemoError("DEMO_ABORTED", step, "stopped before the demo was ready");
}

/** The pipeline's progress line: what ran, what was there already, and what differs from the file. */
export function describeApply(file: string, serviceId: string, report: ApplyReport): string {
  const parts: string[] = [];
  if (report.applied.length > 0) parts.push(`${report.applied.length} statements applied`);
  if (report.kept.length > 0) {
    parts.push(`${report.kept.length} streams, tables and queries already in service ${serviceId}, kept`);
  }
  if (report.upserted > 0) parts.push(`${report.upserted} table rows written again`);
  if (report.skippedRows > 0) parts.push(`${report.skippedRows} stream rows not written again`);
  const lines = [`pipeline: ${file}: ${parts.join("; ") || "nothing to do"}`];
  if (report.differing.length > 0) {
    lines.push(
      `  these differ from the file, and the engine's version runs: ${report.differing.join(", ")}`,
      "  (--fresh starts over with the file's)",
    );
  }
  return lines.join("\n");
}
