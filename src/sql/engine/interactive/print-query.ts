// PRINT 'topic' as a running query: each record's lines (as ksqlDB's CLI shows them) one text row at a time.
import type { KafkaConfig } from "../../../kafka/index.ts";
import type { Statement } from "../../language/ast.ts";
import type { QueryStream } from "../entities.ts";
import { openPrint } from "../print.ts";
import { relayRows } from "./relay.ts";

export type PrintStatement = Extract<Statement, { kind: "Print" }>;

export interface PrintQueryOptions {
  readonly kafka: KafkaConfig;
  readonly statement: PrintStatement;
  readonly queryId: string;
  /** Called once when the stream ends for any reason (LIMIT, close, failure); not when the start fails. */
  readonly onEnd?: () => void;
}

/**
 * Finds the topic (rejecting with EngineError SQL_TOPIC_MISSING and a did-you-mean when there is none) and streams its
 * records from the end, or the start with FROM BEGINNING, every INTERVAL-th one, until LIMIT or close(). Each row is
 * one string, in a single STRING column named after the topic (the REPL's grid needs a column to show them in).
 */
export async function startPrint(options: PrintQueryOptions): Promise<QueryStream> {
  const { statement, queryId } = options;
  const print = await openPrint({
    kafka: options.kafka,
    topic: statement.topic,
    caseSensitive: statement.caseSensitive,
    fromBeginning: statement.fromBeginning,
    ...(statement.interval === undefined ? {} : { interval: statement.interval }),
    ...(statement.limit === undefined ? {} : { limit: statement.limit }),
  });
  const relay = relayRows({
    queryId,
    source: print.lines,
    release: () => print.close(),
    toRow: (line) => [line],
    ...(options.onEnd ? { onEnd: options.onEnd } : {}),
  });
  return { queryId, kind: "print", columns: [{ name: print.topic, type: "STRING", key: false }], ...relay };
}
