// PRINT 'topic' [FROM BEGINNING] [INTERVAL n] [LIMIT n]: a topic's records as lines, the way ksqlDB's CLI shows them.
import type { KafkaConfig } from "../../kafka/index.ts";
import { nearestName } from "../language/near-miss.ts";
import { EngineError } from "./errors.ts";
import { standaloneFetcher } from "./fetcher.ts";
import { PrintFormatter } from "./print-format.ts";
import { listTopics } from "./topics.ts";

export interface PrintOptions {
  readonly kafka: KafkaConfig;
  readonly topic: string;
  /** False for an unquoted name: an exact match wins, else the one topic that matches ignoring case. */
  readonly caseSensitive?: boolean;
  readonly fromBeginning?: boolean;
  /** Print every n-th record (default 1: all). */
  readonly interval?: number;
  /** Stop after this many records (default: never). */
  readonly limit?: number;
  /** The longest one poll waits, and so how long a close can take (default 500 ms). */
  readonly maxWaitMs?: number;
}

export interface PrintStream {
  /** The topic printed, as the cluster spells it. */
  readonly topic: string;
  /** `Key format: …`, `Value format: …` and `rowtime: …, key: …, value: …, partition: …` lines; iterate it once. */
  readonly lines: AsyncIterable<string>;
  close(): Promise<void>;
}

/**
 * The topic PRINT means: `name` itself, or for an unquoted name the one topic equal to it ignoring case. A topic
 * that does not exist is SQL_TOPIC_MISSING, with the nearest existing name as a suggestion.
 */
export function resolvePrintTopic(existing: readonly string[], name: string, caseSensitive: boolean): string {
  if (existing.includes(name)) return name;
  const sameLetters = existing.filter((topic) => topic.toUpperCase() === name.toUpperCase());
  if (!caseSensitive && sameLetters.length === 1 && sameLetters[0] !== undefined) return sameLetters[0];
  const byUpper = new Map(existing.map((topic) => [topic.toUpperCase(), topic]));
  const near = sameLetters[0] ?? byUpper.get(nearestName(name, byUpper.keys()) ?? "");
  throw new EngineError(
    "SQL_TOPIC_MISSING",
    `topic '${name}' does not exist (topic names are case-sensitive)${near === undefined ? "" : `; did you mean '${near}'?`}`,
    { topic: name },
  );
}

/** Finds the topic (or rejects, naming it) and starts reading every partition at its end, or its start. */
export async function openPrint(options: PrintOptions): Promise<PrintStream> {
  const names = (await listTopics(options.kafka, { includeInternal: true })).map((t) => t.name);
  const topic = resolvePrintTopic(names, options.topic, options.caseSensitive ?? true);
  const fetcher = standaloneFetcher(options.kafka, "fabrik-sql-print", { maxWaitMs: options.maxWaitMs ?? 500 });
  const close = () => fetcher.close();
  try {
    const offsets = await fetcher.offsets(topic, options.fromBeginning ? "earliest" : "latest");
    offsets.forEach((offset, partition) => {
      fetcher.seek(topic, partition, offset);
    });
  } catch (error) {
    await close();
    throw error;
  }
  const interval = Math.max(1, options.interval ?? 1);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;

  async function* lines(): AsyncGenerator<string> {
    const formatter = new PrintFormatter();
    let seen = 0;
    let printed = 0;
    try {
      while (!fetcher.closed && printed < limit) {
        const records = await fetcher.poll();
        const chosen = [];
        for (const record of records) {
          if (seen++ % interval !== 0) continue;
          if (printed + chosen.length >= limit) break;
          chosen.push(record);
        }
        printed += chosen.length;
        for (const line of formatter.lines(chosen)) {
          if (fetcher.closed) return;
          yield line;
        }
      }
    } finally {
      await close();
    }
  }

  return { topic, lines: lines(), close };
}
