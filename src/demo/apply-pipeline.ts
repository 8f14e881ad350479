// Applies a pipeline script to a SQL engine that may hold it already: runs what is missing, keeps what is there.
import { type KsqlEntity, KsqlRequestError, type RunningQuery, type SqlService } from "../sql/engine/index.ts";
import { DemoError } from "./errors.ts";
import { canonicalStatement, type PipelineScript, type PipelineStep } from "./pipeline-script.ts";

/** What applying did, statement by statement, for the progress line and the tests. */
export interface ApplyReport {
  /** `file:line` of each statement that ran now (rows written again are counted in `upserted` instead). */
  readonly applied: readonly string[];
  /** Streams, tables and queries that the engine held already (from an earlier run of the same service id). */
  readonly kept: readonly string[];
  /** Kept ones whose statement in the engine differs from the script's: the engine's version goes on running. */
  readonly differing: readonly string[];
  /** Rows written again into tables that existed: an upsert by key, so the table ends as the script says. */
  readonly upserted: number;
  /** Rows not written again because their stream existed: a stream would hold them twice. */
  readonly skippedRows: number;
}

/** The part of the engine's catalog that decides what to run. */
interface Catalog {
  /** Stream and table names → their kind. */
  readonly sources: Map<string, "STREAM" | "TABLE">;
  /** Persistent query ids → the query. */
  readonly queries: Map<string, RunningQuery>;
}

/**
 * Runs the script's statements against `service`, in order, skipping each stream, table and INSERT query the engine
 * already has (same name, same QUERY_ID, or for an INSERT without one the same statement), so that applying the script
 * again never fails on "already exists" nor starts a query twice. VALUES into a table are written again (same keys, so
 * the table ends as the script says); VALUES into a stream that existed are not (they would be there twice).
 * SET and UNSET apply to the statements after them, as in a script run by `fabrik sql -f`. Aborting `signal` stops
 * before the next statement (DemoError DEMO_ABORTED).
 */
export async function applyPipeline(
  service: Pick<SqlService, "execute">,
  script: PipelineScript,
  signal?: AbortSignal,
): Promise<ApplyReport> {
  const catalog = await readCatalog(service);
  const created = new Set<string>();
  const properties: Record<string, string> = {};
  const report = {
    applied: [] as string[],
    kept: [] as string[],
    differing: [] as string[],
    upserted: 0,
    skippedRows: 0,
  };
  const run = async (step: PipelineStep) => {
    // Between statements: what ran stays, and the next run applies the rest.
    if (signal?.aborted) throw new DemoError("DEMO_ABORTED", step.where, "stopped before the pipeline was applied");
    try {
      await service.execute(step.text, properties);
    } catch (error) {
      const message = error instanceof KsqlRequestError ? error.body.message : (error as Error).message;
      throw new DemoError("DEMO_STATEMENT_FAILED", step.where, message, error);
    }
  };
  for (const step of script.steps) {
    switch (step.kind) {
      case "set":
        properties[step.name] = step.value;
        break;
      case "unset":
        delete properties[step.name];
        break;
      case "create": {
        if (!catalog.sources.has(step.name)) {
          await run(step);
          report.applied.push(step.where);
          catalog.sources.set(step.name, step.sourceType);
          created.add(step.name);
          break;
        }
        report.kept.push(step.name);
        const held = await sourceStatement(service, step.name);
        if (held !== undefined && canonicalStatement(held) !== step.canonical) {
          report.differing.push(`${step.name} (${step.where})`);
        }
        break;
      }
      case "insert-query": {
        const held = heldInsert(catalog, step);
        if (held === undefined) {
          await run(step);
          report.applied.push(step.where);
          break;
        }
        report.kept.push(held.id);
        if (canonicalStatement(held.queryString) !== step.canonical)
          report.differing.push(`${held.id} (${step.where})`);
        break;
      }
      case "insert-values":
        if (created.has(step.target)) {
          await run(step);
          report.applied.push(step.where);
        } else if (catalog.sources.get(step.target) === "TABLE") {
          await run(step);
          report.upserted++;
        } else report.skippedRows++;
        break;
    }
  }
  return report;
}

/** The running INSERT query that is this step: the one with its QUERY_ID, or one into its target with its text. */
function heldInsert(catalog: Catalog, step: Extract<PipelineStep, { kind: "insert-query" }>): RunningQuery | undefined {
  if (step.queryId !== undefined) return catalog.queries.get(step.queryId);
  for (const query of catalog.queries.values()) {
    if (query.sinks.includes(step.target) && canonicalStatement(query.queryString) === step.canonical) return query;
  }
  return undefined;
}

async function readCatalog(service: Pick<SqlService, "execute">): Promise<Catalog> {
  const entities = await service.execute("SHOW STREAMS; SHOW TABLES; SHOW QUERIES;");
  const sources = new Map<string, "STREAM" | "TABLE">();
  const queries = new Map<string, RunningQuery>();
  for (const entity of entities) {
    if (entity["@type"] === "streams") for (const s of entity.streams) sources.set(s.name, "STREAM");
    else if (entity["@type"] === "tables") for (const t of entity.tables) sources.set(t.name, "TABLE");
    else if (entity["@type"] === "queries") {
      for (const q of entity.queries) if (q.queryType === "PERSISTENT") queries.set(q.id, q);
    }
  }
  return { sources, queries };
}

/** The CREATE statement the engine holds for `name`, as it was written. */
async function sourceStatement(service: Pick<SqlService, "execute">, name: string): Promise<string | undefined> {
  const [entity]: KsqlEntity[] = await service.execute(`DESCRIBE \`${name.replaceAll("`", "``")}\`;`);
  return entity?.["@type"] === "sourceDescription" ? entity.sourceDescription.statement : undefined;
}
