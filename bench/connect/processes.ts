// The two child processes of bench/connect from the parent's side: the simulated PLCs, and one connector run.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { startDeviceProcess } from "../support/device-process.ts";
import type { ConnectorEvent, ConnectorPlan, ConnectorReport } from "./plan.ts";
import type { PlcStats } from "./plcs.ts";

export interface Plcs {
  readonly ports: readonly number[];
  stats(): Promise<PlcStats>;
  stop(): Promise<void>;
}

export async function startPlcs(count: number): Promise<Plcs> {
  const child = await startDeviceProcess<{ ports: number[] }, PlcStats>(new URL("./plcs.ts", import.meta.url), [
    "--count",
    String(count),
  ]);
  return { ports: child.ready.ports, stats: child.stats, stop: child.stop };
}

/** Called when the connector's measured window opens and closes, so other processes can be measured over it. */
export interface WindowHooks {
  readonly onStart: () => Promise<void>;
  readonly onEnd: () => Promise<void>;
}

export class ConnectorFailedError extends Error {
  readonly code = "BENCH_CONNECTOR_FAILED";
}

/** Runs the connector process once with `plan`; resolves to its report once it has exited. */
export async function runConnector(plan: ConnectorPlan, hooks: WindowHooks): Promise<ConnectorReport> {
  const child: ChildProcess = fork(new URL("./connector.ts", import.meta.url), [], { stdio: "inherit" });
  const exited = once(child, "exit");
  const result = new Promise<ConnectorReport>((resolve, reject) => {
    const pending: Promise<void>[] = [];
    let reported = false;
    child.on("message", (event: ConnectorEvent) => {
      if (event.type === "window-start") pending.push(hooks.onStart());
      else if (event.type === "window-end") pending.push(hooks.onEnd());
      else if (event.type === "report") {
        reported = true;
        void Promise.all(pending).then(() => resolve(event.report), reject);
      } else reject(new ConnectorFailedError(`the connector process failed: ${event.message}`));
    });
    child.once("exit", (code) => {
      if (!reported) reject(new ConnectorFailedError(`the connector process exited with ${code} before reporting`));
    });
  });
  child.send(plan);
  try {
    return await result;
  } finally {
    await exited;
  }
}
