// What the interactive integration tests share: a catalog over fresh topics, plans from SQL text, collecting rows.
import assert from "node:assert/strict";
import type { InsertValuesPlan } from "../../../../src/sql/analysis/index.ts";
import type { JsonValue } from "../../../../src/sql/engine/entities.ts";
import { parseStatements } from "../../../../src/sql/language/index.ts";
import type { QueryPlan } from "../../../../src/sql/plan/plan.ts";
import { uniqueTopic } from "../../../support/kafka.ts";
import { TestCatalog } from "../../analysis/catalog-fixture.ts";
import { createTopics } from "../fixture.ts";

/**
 * A catalog whose statements name a new topic as `{topic}`; the topic is created with `partitions` partitions (the
 * statements must say `PARTITIONS=` so that the analysis accepts a topic it does not know). `partitions` 0 creates
 * nothing: the catalog names a topic that does not exist.
 */
export async function catalogOver(
  prefix: string,
  partitions: number,
  statements: string,
): Promise<{ catalog: TestCatalog; topic: string }> {
  const topic = uniqueTopic(prefix);
  if (partitions > 0) await createTopics([topic], partitions);
  const catalog = new TestCatalog();
  catalog.run(statements.replaceAll("{topic}", topic));
  return { catalog, topic };
}

export function pushPlan(catalog: TestCatalog, sql: string): QueryPlan {
  const analysis = catalog.analyse(parseStatements(sql)[0]!, sql);
  assert.equal(analysis.kind, "query");
  return (analysis.result as { plan: QueryPlan }).plan;
}

export function insertPlan(catalog: TestCatalog, sql: string): InsertValuesPlan {
  const analysis = catalog.analyse(parseStatements(sql)[0]!, sql);
  assert.equal(analysis.kind, "values");
  return analysis.result as InsertValuesPlan;
}

export async function collect(rows: AsyncIterable<readonly JsonValue[]>): Promise<JsonValue[][]> {
  const out: JsonValue[][] = [];
  for await (const row of rows) out.push([...row]);
  return out;
}

/** Calls to `onEnd`, counted. */
export function endCounter(): { readonly onEnd: () => void; readonly count: () => number } {
  let ends = 0;
  return { onEnd: () => ends++, count: () => ends };
}
