// Push queries: a pipeline fed from every partition of its topics, without a group, its rows yielded to the client.
import type { KafkaConfig } from "../../kafka/index.ts";
import type { Pipeline, ProcessingLogEntry, ResultRow } from "../runtime/pipeline.ts";
import { EngineError } from "./errors.ts";
import { type OffsetReset, standaloneFetcher } from "./fetcher.ts";
import { key, type RestoreRange, restorePartitions } from "./restore.ts";

export interface TransientReaderOptions {
  readonly kafka: KafkaConfig;
  /** The push query's id, for client ids and processing-log entries. */
  readonly queryId: string;
  /** Made with inMemoryRepartition: a push query has no internal topics of its own. */
  readonly pipeline: Pipeline;
  /** Where the query's streams start: `latest` (ksqlDB's default) or `earliest` (`auto.offset.reset`). */
  readonly offsetReset?: OffsetReset;
  /** The longest one poll waits, and so how long a close can take (default 500 ms). */
  readonly maxWaitMs?: number;
  /** Records the pipeline set aside (for the processing log); awaited before more rows are read. */
  readonly onErrors?: (entries: readonly ProcessingLogEntry[]) => void | Promise<void>;
}

export interface TransientReader {
  /** The result rows, until the query's LIMIT, close(), or an error (thrown from the iteration). Iterate it once. */
  readonly rows: AsyncIterable<ResultRow>;
  close(): Promise<void>;
}

/**
 * Checks the topics (a missing one rejects with SQL_TOPIC_MISSING), assigns every partition to the pipeline,
 * restores table and changelog partitions from their start to their end, and positions the streams at their end (or
 * start). Nothing is committed: a push query leaves no trace in Kafka.
 */
export async function openTransientReader(options: TransientReaderOptions): Promise<TransientReader> {
  const { pipeline } = options;
  const fetcher = standaloneFetcher(options.kafka, `fabrik-sql-push-${options.queryId}`, {
    maxWaitMs: options.maxWaitMs ?? 500,
    reset: options.offsetReset ?? "latest",
  });
  // Ends a fetch in flight, and so the iteration, at once.
  const close = () => fetcher.close();
  try {
    const named = (role: string) => pipeline.topics.filter((t) => t.role === role).map((t) => t.name);
    // Streams and source tables are read from `offsetReset` on; a source table's history before that is restored.
    const positioned = [...named("source"), ...named("source-table")];
    const tables = named("table");
    const counts = await fetcher.partitionCounts([...positioned, ...tables]);
    // State topics of a persistent query's store, when one exists: read like tables, never followed.
    for (const topic of named("changelog")) {
      const count = await fetcher.partitionCounts([topic]).catch((error: unknown) => {
        if (error instanceof EngineError && error.code === "SQL_TOPIC_MISSING") return undefined;
        throw error;
      });
      if (count !== undefined) counts.set(topic, count.get(topic) ?? 0);
    }
    const inputs = positioned.length > 0 ? positioned : tables;
    const partitions = Math.max(0, ...inputs.map((topic) => counts.get(topic) ?? 0));
    for (let p = 0; p < partitions; p++) pipeline.assign(p);
    const starts = new Map<string, bigint>();
    for (const topic of positioned) {
      const offsets = await fetcher.offsets(topic, options.offsetReset ?? "latest");
      for (let p = 0; p < (counts.get(topic) ?? 0); p++) starts.set(key(topic, p), offsets[p] ?? 0n);
    }
    const ranges: RestoreRange[] = [...counts]
      .filter(([topic]) => !named("source").includes(topic))
      .flatMap(([topic, count]) =>
        Array.from({ length: count }, (_, partition) => ({ topic, partition, end: starts.get(key(topic, partition)) })),
      );
    const ends = await restorePartitions(fetcher, ranges, (topic, partition, records) =>
      pipeline.restore(topic, partition, records),
    );
    for (const { topic, partition } of ranges) {
      if (tables.includes(topic)) fetcher.seek(topic, partition, ends.get(key(topic, partition)) ?? 0n);
    }
    for (const [k, offset] of starts) {
      const at = k.lastIndexOf(":");
      fetcher.seek(k.slice(0, at), Number(k.slice(at + 1)), offset);
    }
  } catch (error) {
    await close();
    throw error;
  }

  async function* rows(): AsyncGenerator<ResultRow> {
    try {
      // Without a partition to read (nothing to follow) there will be no rows.
      while (!fetcher.closed && !fetcher.idle) {
        const records = await fetcher.poll();
        if (records.length === 0) continue;
        const output = pipeline.process(records);
        if (output.errors.length > 0) await options.onErrors?.(output.errors);
        for (const row of output.rows) {
          if (fetcher.closed) return;
          yield row;
        }
        if (output.done) return;
      }
    } finally {
      await close();
    }
  }

  return { rows: rows(), close };
}
