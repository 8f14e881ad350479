// The golden suite: every case of cases/*.yaml run against the real broker through startSqlEngine's SqlService.

import { after, describe, test } from "node:test";
import { testKafka } from "../../support/kafka.ts";
import { caseStatements, type GoldenCase, loadCaseFiles } from "./case-file.ts";
import { CaseRun } from "./case-run.ts";
import { EnginePool, type EngineSlot } from "./engine-pool.ts";

const kafka = testKafka();
/** Case files run side by side, cases of one file one after the other (they share its engine). */
const FILES_AT_ONCE = 2;
/**
 * Sent with every statement and query, as ksqlDB's own query tests set them: queries read their sources from the
 * start, and the record cache is off, so that a table shows every update rather than the last of each batch.
 */
const PROPERTIES = { "auto.offset.reset": "earliest", "cache.max.bytes.buffering": "0" };

describe("golden", { concurrency: FILES_AT_ONCE }, () => {
  for (const file of loadCaseFiles()) {
    // Subtests would inherit the outer concurrency: the cases of a file share an engine, one at a time.
    describe(file.file, { concurrency: 1 }, () => {
      const pool = new EnginePool(kafka, file.registry === "udf");
      after(() => pool.close());
      for (const c of file.cases) {
        test(`${file.file}: ${c.name}`, async () => {
          const slot = await pool.slotFor(createdNames(c), c.fresh === true);
          try {
            await new CaseRun(slot, c, { kafka, properties: PROPERTIES }).run();
          } catch (error) {
            throw withLog(error, slot);
          } finally {
            await cleanUp(pool, slot);
          }
        });
      }
    });
  }
});

/** The streams and tables a case creates: an engine where one of them exists already cannot run it. */
function createdNames(c: GoldenCase): string[] {
  return caseStatements(c).flatMap((s) => {
    const statement = s.parsed?.statement;
    return statement?.kind === "CreateSource" || statement?.kind === "CreateAsSelect" ? [statement.name.value] : [];
  });
}

/** Stops the case's queries on a shared engine (so they cost nothing while later cases run); closes its own. */
async function cleanUp(pool: EnginePool, slot: EngineSlot): Promise<void> {
  if (!pool.isShared(slot)) {
    await slot.close();
    return;
  }
  try {
    await slot.engine.execute("TERMINATE ALL;", {});
  } catch {
    slot.dirty = true;
  }
}

/** The failure with the engine's last log lines, which often say why. */
function withLog(error: unknown, slot: EngineSlot): unknown {
  if (!(error instanceof Error) || slot.log.length === 0) return error;
  error.message += `\n  engine log (last lines):\n    ${slot.log.slice(-20).join("\n    ")}`;
  return error;
}
