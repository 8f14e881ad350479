// `fabrik connect` as a child process for the fault tests: started, awaited until it serves, interrupted or killed.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import type { TestContext } from "node:test";
import type { KafkaConfig } from "../../src/kafka/index.ts";
import { FABRIK_MAIN } from "../support/cli.ts";
import { whenEvent } from "../support/events.ts";
import { freePort } from "../support/ports.ts";

export interface ConnectProcess {
  readonly child: ChildProcess;
  /** The REST API's address. */
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Ctrl-C; resolves with the exit code. */
  interrupt(): Promise<number | null>;
  /** SIGKILL: no cleanup at all, as a power cut or the OOM killer. */
  kill(): Promise<void>;
}

/** Runs `fabrik connect <args>` with its REST API on a free port; resolves once it says it is running. */
export async function startConnect(
  t: TestContext,
  kafka: KafkaConfig,
  args: readonly string[],
  cwd?: string,
): Promise<ConnectProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [FABRIK_MAIN, "connect", ...args, "--rest-port", String(port), "--bootstrap", kafka.bootstrapServers.join(",")],
    { cwd, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  const running = whenEvent("fabrik connect to say it runs", [child.stdout!], "data", () =>
    output.includes("is running; REST API"),
  );
  const died = exited.then(([code]) => {
    throw new Error(`fabrik connect exited (${code}) before it ran:\n${output}`);
  });
  await Promise.race([running, died]);
  died.catch(() => {});
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    interrupt: async () => {
      child.kill("SIGINT");
      const [code] = await exited;
      return code;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** GET `path` of a worker's REST API as JSON. */
export async function getJson<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
