// The child's side of bench/sql's measurement protocol, shared by the engine process and the raw passthrough: wait for
// "run", start the work, answer "mark" with a snapshot of this process's CPU and RSS, report and exit on "finish".

import { startCpuProfile } from "../support/cpu-profile.ts";
import { sampleMemory } from "../support/memory-samples.ts";
import type { Driver, EngineCommand, EngineEvent, EngineReport, Snapshot } from "./plan.ts";
import type { StartedQuery } from "./task-driver.ts";

const MB = 1_000_000;

/** The work a measured process does, prepared (sources set up, clients made) before anything is measured. */
export interface MeasuredWork {
  readonly driver: Driver | "raw";
  /** Starts the measured work (issues the query); resolves once it was accepted. */
  run(): Promise<StartedQuery>;
  close(): Promise<void>;
  /** Warnings and errors logged meanwhile (the first few). */
  readonly log: readonly string[];
  /** When set, a CPU profile from "run" to "finish" is written here (a .cpuprofile file). */
  readonly profileFile?: string | undefined;
}

function emit(event: EngineEvent, then: () => void = () => {}): void {
  process.send?.(event, then);
}

function snapshot(): Snapshot {
  const cpu = process.cpuUsage();
  return { at: Date.now(), cpuMicros: cpu.user + cpu.system, rssMb: process.memoryUsage.rss() / MB };
}

/** The parent's commands in order, as an async iterable. */
function commands(): AsyncIterable<EngineCommand> {
  const queue: EngineCommand[] = [];
  let wake: (() => void) | undefined;
  process.on("message", (command: EngineCommand) => {
    queue.push(command);
    wake?.();
  });
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) yield next;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

async function serve(work: MeasuredWork): Promise<void> {
  let memory: ReturnType<typeof sampleMemory> | undefined;
  let stopProfile: (() => Promise<void>) | undefined;
  const incoming = commands();
  emit({ type: "ready" });
  for await (const command of incoming) {
    if (command.type === "run") {
      memory = sampleMemory();
      if (work.profileFile !== undefined) stopProfile = await startCpuProfile(work.profileFile);
      const before = snapshot();
      const query = await work.run();
      emit({ type: "started", queryId: query.queryId, groupId: query.groupId, before, after: snapshot() });
    } else if (command.type === "mark") {
      emit({ type: "mark", snapshot: snapshot() });
    } else {
      const steady = memory?.stop();
      await stopProfile?.();
      const report: EngineReport = {
        driver: work.driver,
        rssMedianMb: steady?.rssMb ?? Number.NaN,
        rssPeakMb: (process.resourceUsage().maxRSS * 1024) / MB,
        log: work.log,
      };
      await work.close();
      emit({ type: "report", report }, () => process.exit(0));
      return;
    }
  }
}

/** Receives the plan (the first message), prepares the work with it, then follows the parent's commands. */
export function serveMeasured<Plan>(prepare: (plan: Plan) => Promise<MeasuredWork>): void {
  // Orphaned (the benchmark died): nothing to report to.
  process.once("disconnect", () => process.exit(1));
  process.once("message", (plan: Plan) => {
    prepare(plan)
      .then(serve)
      .catch((error: unknown) =>
        emit({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () =>
          process.exit(1),
        ),
      );
  });
}
