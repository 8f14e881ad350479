// The SQL engine under test in bench/sql, alone in its process so that its CPU and memory are its own: the sources
// are declared first, then the query is issued when the parent says "run" (see measured-process.ts).
// Run with fork(); the parent sends an EnginePlan, then EngineCommands.

import { startEngineDriver } from "./engine-driver.ts";
import { serveMeasured } from "./measured-process.ts";
import type { EnginePlan } from "./plan.ts";
import { startTaskDriver } from "./task-driver.ts";

/** How many log lines the report carries: enough to see what went wrong, not a flood. */
const LOG_LINES = 8;

serveMeasured(async (plan: EnginePlan) => {
  const log: string[] = [];
  const keep = (line: string) => {
    if (log.length < LOG_LINES) log.push(line);
  };
  const kafka = { bootstrapServers: plan.bootstrapServers };
  const runner =
    plan.driver === "engine"
      ? await startEngineDriver(kafka, plan.serviceId, keep)
      : startTaskDriver(kafka, plan.serviceId);
  await runner.execute(plan.setupSql);
  return {
    driver: plan.driver,
    log,
    profileFile: plan.profileFile,
    async run() {
      const started = await runner.execute(plan.querySql);
      const [query] = started;
      if (query === undefined || started.length > 1) {
        throw new Error(`the query statement started ${started.length} queries, not one`);
      }
      return query;
    },
    close: () => runner.close(),
  };
});
