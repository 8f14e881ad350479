// The `fabrik` command line run as a user runs it, in a child process: its exit code and what it printed.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";

/** The entry point, for tests that start and drive a long-running `fabrik` themselves. */
export const FABRIK_MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

export interface FabrikResult {
  /** The exit code; null when a signal (or the timeout) ended it. */
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

export interface FabrikRunOptions {
  /** Changes to this process's environment for the child; undefined removes a variable (e.g. KAFKA_BOOTSTRAP_SERVERS). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What the child reads on stdin (default: nothing, at once end of input). */
  readonly stdin?: string;
  /** Kill the child after this long, so a command that should have stopped fails the test instead of hanging it. */
  readonly timeoutMs?: number;
}

/** This process's environment with `changes` applied. */
export function fabrikEnv(changes: FabrikRunOptions["env"] = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `fabrik <args>` to the end, blocking this process (which must not be serving anything the child needs). */
export function runFabrik(args: readonly string[], options: FabrikRunOptions = {}): FabrikResult {
  const result = spawnSync(process.execPath, [FABRIK_MAIN, ...args], {
    encoding: "utf8",
    env: fabrikEnv(options.env),
    input: options.stdin ?? "",
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** Runs `fabrik <args>` to the end without blocking: several at once, or against a server in this process. */
export async function runFabrikAsync(args: readonly string[], options: FabrikRunOptions = {}): Promise<FabrikResult> {
  const child = spawn(process.execPath, [FABRIK_MAIN, ...args], {
    env: fabrikEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  child.stdin.end(options.stdin ?? "");
  // "close", not "exit": by then both pipes are drained, so nothing printed last is missing.
  const [code] = (await once(child, "close")) as [number | null];
  return { code, out, err };
}
