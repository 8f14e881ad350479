// Runs a single-node Apache Kafka broker (KRaft: broker and controller in one JVM) on loopback, and stops it cleanly.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { Admin } from "@platformatic/kafka";
import { LOG4J2, newClusterId, serverProperties } from "./broker-config.ts";
import { type KafkaDistribution, resolveKafka } from "./distribution.ts";
import { KafkaError } from "./errors.ts";
import { isKafkaProcess, type Launched, launch, stopProcess } from "./jvm-process.ts";

export type ScramMechanism = "SCRAM-SHA-256" | "SCRAM-SHA-512";

export interface ScramUser {
  readonly mechanism: ScramMechanism;
  readonly username: string;
  readonly password: string;
}

/** A second listener speaking SASL (SCRAM and PLAIN) over TLS, for clients that must authenticate. */
export interface SaslSslListener {
  /** 0 or absent: a free port. */
  readonly port?: number;
  readonly keystore: { readonly path: string; readonly password: string; readonly type?: "PKCS12" | "JKS" };
  /** SCRAM users, created when the storage is formatted. */
  readonly scramUsers?: readonly ScramUser[];
  /** PLAIN users, as username → password. */
  readonly plainUsers?: Readonly<Record<string, string>>;
}

export interface BrokerOptions {
  /** Holds the configuration, the data (`data/`) and the log (`server.log`); kept between runs. */
  readonly dir: string;
  readonly host?: string;
  /** The client port; 0 or absent: a free port. */
  readonly port?: number;
  /** The KRaft controller port; 0 or absent: a free port. */
  readonly controllerPort?: number;
  readonly saslSsl?: SaslSslListener;
  /** Extra server.properties entries, overriding Fabrik's defaults. */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
  readonly heapMb?: number;
  /**
   * Detached brokers outlive this process (`fabrik kafka start`); attached ones are stopped by a watchdog
   * as soon as this process goes away, however it ends, so no JVM is ever orphaned.
   */
  readonly detached?: boolean;
  readonly startTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (line: string) => void;
  /** An already resolved distribution, to skip resolving it again. */
  readonly distribution?: KafkaDistribution;
}

/** What `broker.json` in the broker's folder says about the broker running from it. */
export interface BrokerState {
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly saslSslPort?: number;
  readonly version: string;
  readonly startedAt: string;
  readonly detached: boolean;
}

export interface RunningBroker {
  readonly state: BrokerState;
  /** `host:port` of the PLAINTEXT listener. */
  readonly bootstrap: string;
  /** `host:port` of the SASL_SSL listener, when one was asked for. */
  readonly saslSslBootstrap: string | undefined;
  readonly logFile: string;
  /** Settles when the broker's process has ended, whoever ended it, with its exit status. */
  readonly exited: Promise<number | null>;
  /** The options with every port filled in: pass them to startBroker again to restart on the same ports. */
  readonly options: BrokerOptions & { readonly port: number; readonly controllerPort: number };
  /** Stops the broker (controlled shutdown, then SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const env = options.env ?? process.env;
  const host = options.host ?? "127.0.0.1";
  // Ports first: a taken port should fail at once, not after fetching Kafka.
  for (const [name, p] of [
    ["client", options.port],
    ["SASL_SSL", options.saslSsl?.port],
    ["controller", options.controllerPort],
  ] as const) {
    if (p) await assertPortFree(host, p, name);
  }
  const port = options.port || (await freePort(host));
  const controllerPort = options.controllerPort || (await freePort(host));
  const saslSslPort = options.saslSsl ? options.saslSsl.port || (await freePort(host)) : undefined;
  const dist = options.distribution ?? (await resolveKafka({ env, onProgress: options.onProgress }));

  await mkdir(join(options.dir, "data"), { recursive: true });
  const logFile = join(options.dir, "server.log");
  const propertiesFile = join(options.dir, "server.properties");
  const log4jFile = join(options.dir, "log4j2.properties");
  await writeFile(log4jFile, LOG4J2);
  await writeFile(propertiesFile, serverProperties({ ...options, host, port, controllerPort, saslSslPort }));
  const jvmArgs = [
    `-Xmx${options.heapMb ?? 512}m`,
    "-XX:+UseG1GC",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${log4jFile}`,
    "-cp",
    dist.classpath,
  ];
  if (!existsSync(join(options.dir, "data", "meta.properties"))) {
    await formatStorage(dist, jvmArgs, propertiesFile, options.saslSsl?.scramUsers ?? [], env);
  }

  options.onProgress?.(`starting Apache Kafka ${dist.version} on ${host}:${port}`);
  const pidFile = join(options.dir, "broker.pid");
  await rm(pidFile, { force: true });
  const launched = launch(dist.java.path, [...jvmArgs, "kafka.Kafka", propertiesFile], {
    detached: options.detached ?? false,
    logFile,
    pidFile,
    env,
  });
  const bootstrap = `${host}:${port}`;
  try {
    await waitUntilReady(bootstrap, launched, logFile, options.startTimeoutMs ?? 90_000);
  } catch (error) {
    launched.kill();
    throw error;
  }
  const pid = launched.pid() ?? 0;
  const state: BrokerState = {
    pid,
    host,
    port,
    controllerPort,
    ...(saslSslPort ? { saslSslPort } : {}),
    version: dist.version,
    startedAt: new Date().toISOString(),
    detached: options.detached ?? false,
  };
  await writeFile(join(options.dir, "broker.json"), `${JSON.stringify(state, null, 2)}\n`);
  return {
    state,
    bootstrap,
    saslSslBootstrap: saslSslPort ? `${host}:${saslSslPort}` : undefined,
    logFile,
    exited: launched.exited,
    options: { ...options, host, port, controllerPort, distribution: dist },
    stop: async (timeoutMs = 30_000) => {
      await launched.stop(timeoutMs);
      await rm(join(options.dir, "broker.json"), { force: true });
    },
  };
}

async function formatStorage(
  dist: KafkaDistribution,
  jvmArgs: string[],
  propertiesFile: string,
  users: readonly ScramUser[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const clusterId = newClusterId();
  const scram = users.flatMap((u) => ["--add-scram", `${u.mechanism}=[name=${u.username},password=${u.password}]`]);
  const args = [...jvmArgs, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", propertiesFile, ...scram];
  try {
    await promisify(execFile)(dist.java.path, args, { env });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new KafkaError(
      "BROKER_FAILED",
      `formatting Kafka's storage failed: ${(e.stderr || e.stdout || String(error)).trim().slice(-1500)}`,
      {
        hint: `check the settings in ${propertiesFile}; to start over, delete its folder.`,
        cause: error,
      },
    );
  }
}

async function waitUntilReady(
  bootstrap: string,
  launched: Launched,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void launched.exited.then((code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) {
      throw new KafkaError("BROKER_FAILED", `the Kafka broker exited with status ${exitCode} while starting.`, {
        hint: `read ${logFile} for the cause.`,
        logTail: await logTail(logFile),
      });
    }
    if (await answersMetadata(bootstrap)) return;
    if (Date.now() > deadline) {
      throw new KafkaError(
        "BROKER_TIMEOUT",
        `the Kafka broker did not answer on ${bootstrap} within ${timeoutMs / 1000} s.`,
        {
          hint: `read ${logFile} for the cause; on a slow machine give it more time.`,
          logTail: await logTail(logFile),
        },
      );
    }
    await Promise.race([delay(250), launched.exited]);
  }
}

/** True when a broker at `bootstrap` answers a metadata request. */
export async function answersMetadata(bootstrap: string, timeoutMs = 2000): Promise<boolean> {
  const admin = new Admin({
    clientId: "fabrik-probe",
    bootstrapBrokers: [bootstrap],
    retries: 0,
    connectTimeout: timeoutMs,
    requestTimeout: timeoutMs,
  });
  try {
    await admin.metadata({ topics: [] });
    return true;
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => {});
  }
}

/** The broker started from `dir` and still running, or undefined. */
export async function runningBroker(dir: string): Promise<BrokerState | undefined> {
  let state: BrokerState;
  try {
    state = JSON.parse(await readFile(join(dir, "broker.json"), "utf8")) as BrokerState;
  } catch {
    return undefined;
  }
  return isKafkaProcess(state.pid) ? state : undefined;
}

/** Stops the broker running from `dir` (detached or not); false when none was running. */
export async function stopRunningBroker(dir: string, timeoutMs = 30_000): Promise<boolean> {
  const state = await runningBroker(dir);
  if (!state) return false;
  await stopProcess(state.pid, timeoutMs);
  await rm(join(dir, "broker.json"), { force: true });
  return true;
}

/** The last `lines` lines of a log file ("" when there is none). */
export async function logTail(file: string, lines = 20): Promise<string> {
  try {
    const text = await readFile(file, "utf8");
    return text.trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function assertPortFree(host: string, port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new KafkaError("PORT_TAKEN", `the ${name} port ${host}:${port} is already in use.`, {
              hint: `stop what listens there (maybe another broker: 'fabrik kafka status'), or choose another port (--port).`,
            })
          : error,
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** The folder of the broker `fabrik kafka` manages: FABRIK_STATE_DIR, else $XDG_STATE_HOME/fabrik, else ~/.local/state/fabrik. */
export function defaultBrokerDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.FABRIK_STATE_DIR || join(env.XDG_STATE_HOME || join(homedir(), ".local", "state"), "fabrik");
  return join(base, "kafka");
}
