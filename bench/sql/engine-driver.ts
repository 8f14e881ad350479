// bench/sql's way into the real SQL engine: startSqlEngine, statements through SqlService.execute as a client sends them.

import type { KafkaConfig } from "../../src/kafka/index.ts";
import { type KsqlEntity, queryGroupId, startSqlEngine } from "../../src/sql/engine/index.ts";
import type { SqlRunner, StartedQuery } from "./task-driver.ts";

export class EngineDriverError extends Error {
  readonly code = "BENCH_SQL_ENGINE_DRIVER";
}

export async function startEngineDriver(
  kafka: KafkaConfig,
  serviceId: string,
  log: (line: string) => void,
): Promise<SqlRunner> {
  const engine = await startSqlEngine({
    kafka,
    serviceId,
    log: { info() {}, warn: (m) => log(`warn: ${m}`), error: (m) => log(`error: ${m}`) },
  });
  return {
    async execute(text) {
      return startedQueries(text, await engine.execute(text), engine.serviceId);
    },
    close: () => engine.close(),
  };
}

/** The persistent queries the statements started, from their command statuses; a failed command throws. */
function startedQueries(text: string, entities: readonly KsqlEntity[], serviceId: string): StartedQuery[] {
  const started: StartedQuery[] = [];
  for (const entity of entities) {
    if (entity["@type"] !== "currentStatus") continue;
    const { status, message, queryId } = entity.commandStatus;
    if (status === "ERROR") throw new EngineDriverError(`${entity.statementText || text}: ${message}`);
    if (queryId !== null) started.push({ queryId, groupId: queryGroupId(serviceId, queryId) });
  }
  return started;
}
