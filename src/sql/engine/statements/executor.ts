// POST /ksql: runs a request's statements in order, SET/UNSET between them, and answers ksqlDB's entities.
import { type InsertValuesPlan, planInsertValues } from "../../analysis/insert-values.ts";
import type { ParsedStatement } from "../../language/ast.ts";
import { parseStatements } from "../../language/parse-statements.ts";
import type { Command } from "../command-log.ts";
import type { KsqlEntity } from "../entities.ts";
import type { TopicInfo } from "../topics.ts";
import type { ApplyOutcome } from "./apply.ts";
import { asRequestError, SqlStatementError } from "./errors.ts";
import { checkChange, isListing, type ListingContext, listing } from "./listings.ts";
import { type CatalogStatement, commandIdOf, isCatalogStatement } from "./prepare.ts";
import { type Overrides, requestOverrides, withSet, withUnset } from "./properties.ts";

export interface ExecutorContext extends ListingContext {
  /** Appends a command and resolves once this server applied it, with how that went. */
  readonly submit: (command: Command, commandId: string) => Promise<{ sequence: number; outcome: ApplyOutcome }>;
  /** Resolves once every command in the log now has been applied here (other servers' too). */
  readonly catchUp: () => Promise<void>;
  readonly insertValues: (plan: InsertValuesPlan) => Promise<void>;
  /** TERMINATE of a push query this server runs; false when it runs none with that id. */
  readonly closePushQuery: (id: string) => boolean;
}

/**
 * Runs `text`'s statements in order. A failing statement ends the request with ksqlDB's statement error, carrying
 * the entities of the statements before it (which did run); a catalog change that fails changes nothing.
 */
export async function executeStatements(
  text: string,
  properties: Readonly<Record<string, unknown>> | undefined,
  c: ExecutorContext,
): Promise<KsqlEntity[]> {
  let parsed: ParsedStatement[];
  let overrides: Overrides;
  try {
    overrides = requestOverrides(properties);
    parsed = parseStatements(text);
  } catch (error) {
    throw asRequestError(error, text);
  }
  const entities: KsqlEntity[] = [];
  let caughtUp = false;
  for (const item of parsed) {
    const statement = item.statement;
    try {
      if (statement.kind === "SetProperty") {
        overrides = withSet(overrides, statement.name, statement.value, { text, span: statement.span });
      } else if (statement.kind === "UnsetProperty") {
        overrides = withUnset(overrides, statement.name);
      } else if (isListing(statement)) {
        entities.push(await listing({ ...item, statement }, text, overrides, c));
      } else if (isCatalogStatement(statement)) {
        // Checked against the latest catalog: what other servers appended meanwhile counts.
        if (!caughtUp) await c.catchUp();
        caughtUp = true;
        const entity = await runCatalogStatement(item, statement, text, overrides, c);
        if (entity) entities.push(entity);
      } else if (statement.kind === "InsertValues") {
        await c.insertValues(planInsertValues(statement, text, c.catalog, c.registry));
      } else if (statement.kind === "Query" || statement.kind === "Print") {
        throw new SqlStatementError(
          "SQL_WRONG_ENDPOINT",
          "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT",
          { text, span: statement.span },
        );
      } else {
        const what = statement.kind === "RunScript" ? "RUN SCRIPT runs in the CLI (fabrik sql)" : "DEFINE and UNDEFINE";
        throw new SqlStatementError("SQL_STATEMENT_UNSUPPORTED", `${what} is not supported by the server`, {
          text,
          span: statement.span,
        });
      }
    } catch (error) {
      throw asRequestError(error, item.text, entities);
    }
  }
  return entities;
}

/** Checks the statement against the catalog, appends it as a command, and answers how applying it went. */
async function runCatalogStatement(
  item: ParsedStatement,
  statement: CatalogStatement,
  text: string,
  overrides: Overrides,
  c: ExecutorContext,
): Promise<KsqlEntity | undefined> {
  const commandId = commandIdOf(statement);
  if (statement.kind === "Terminate" && statement.queryId && c.closePushQuery(statement.queryId.value)) {
    return currentStatus(item.text, commandId, "Query terminated.", null, c.nextSequence() - 1);
  }
  const { change, topics } = await checkChange(statement, text, overrides, c);
  if (change.kind === "none") return currentStatus(item.text, commandId, change.message, null, c.nextSequence() - 1);
  const command: Command = {
    statement: item.text,
    properties: overrides,
    ...(statement.kind === "CreateSource" ? { topics: recordedTopics(topics) } : {}),
  };
  const { sequence, outcome } = await c.submit(command, commandId);
  // Refused when applied (another server changed the catalog first), or Kafka failed it: the outer catch maps it.
  if (!outcome.ok) throw outcome.error;
  return currentStatus(item.text, commandId, outcome.message, outcome.queryId, sequence);
}

/** What a command keeps of the topics: only what the catalog's checks read. */
function recordedTopics(
  topics: ReadonlyMap<string, TopicInfo>,
): Record<string, { partitions: number; replicas: number }> {
  return Object.fromEntries(
    [...topics].map(([name, info]) => [name, { partitions: info.partitions, replicas: info.replicas }]),
  );
}

function currentStatus(
  statementText: string,
  commandId: string,
  message: string,
  queryId: string | null,
  commandSequenceNumber: number,
): KsqlEntity {
  return {
    "@type": "currentStatus",
    statementText,
    warnings: [],
    commandId,
    commandStatus: { status: "SUCCESS", message, queryId },
    commandSequenceNumber,
  };
}
