// bench/sql's child processes from the parent's side: a measured process (the engine or the raw passthrough) forked,
// given its plan, then told to run, snapshot and finish; the events it sends are matched to what the parent waits for.

import { type ChildProcess, fork } from "node:child_process";
import type { EngineCommand, EngineEvent, EngineReport, Snapshot } from "./plan.ts";

export class ChildFailedError extends Error {
  readonly code = "BENCH_SQL_CHILD_FAILED";
}

export interface Started {
  readonly queryId: string;
  readonly groupId: string;
  /** Snapshots just before the statement was issued and once it was accepted. */
  readonly before: Snapshot;
  readonly after: Snapshot;
}

export interface MeasuredProcess {
  readonly pid: number | undefined;
  /** Issues the query; resolves once the process says it was accepted. */
  run(): Promise<Started>;
  mark(): Promise<Snapshot>;
  /** The report; the process exits after sending it. */
  finish(): Promise<EngineReport>;
  /** Kills the process if it still runs (after a failure). */
  kill(): void;
}

type Expected = EngineEvent["type"];

/** Forks `module` (engine-process.ts or passthrough.ts), sends it `plan` and resolves once it is ready. */
export async function startMeasured(module: URL, plan: object): Promise<MeasuredProcess> {
  const child: ChildProcess = fork(module, [], { stdio: "inherit" });
  const waiting: { type: Expected; resolve: (event: EngineEvent) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  child.on("message", (event: EngineEvent) => {
    if (event.type === "failed") {
      failAll(new ChildFailedError(`${module.pathname.split("/").pop()} failed: ${event.message}`));
      return;
    }
    const index = waiting.findIndex((w) => w.type === event.type);
    const [w] = index < 0 ? [] : waiting.splice(index, 1);
    w?.resolve(event);
  });
  child.once("exit", (code) => failAll(new ChildFailedError(`the measured process exited with ${code}`)));
  const next = <T extends Expected>(type: T, command?: EngineCommand): Promise<Extract<EngineEvent, { type: T }>> =>
    new Promise((resolve, reject) => {
      if (failure !== undefined) {
        reject(failure);
        return;
      }
      waiting.push({ type, resolve: (e) => resolve(e as Extract<EngineEvent, { type: T }>), reject });
      if (command !== undefined) child.send(command);
    });
  const ready = next("ready");
  child.send(plan);
  await ready;
  return {
    pid: child.pid,
    run: async () => {
      const { queryId, groupId, before, after } = await next("started", { type: "run" });
      return { queryId, groupId, before, after };
    },
    mark: async () => (await next("mark", { type: "mark" })).snapshot,
    finish: async () => (await next("report", { type: "finish" })).report,
    kill: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
