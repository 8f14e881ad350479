// Small hand-written Pipelines for the engine's tests: what the runtime will build from SQL, reduced to a few lines.
import type {
  InputRecord,
  OutputRecord,
  Pipeline,
  PipelineOutput,
  PipelineTopic,
  ProcessingLogEntry,
  ResultRow,
} from "../../../src/sql/runtime/pipeline.ts";

/** What a test pipeline saw, in order: assignments, restores and processed records. */
export interface Seen {
  readonly events: string[];
  readonly processed: InputRecord[];
  readonly restored: InputRecord[];
  readonly assigned: Set<number>;
}

function seen(): Seen {
  return { events: [], processed: [], restored: [], assigned: new Set() };
}

function output(records: OutputRecord[], errors: ProcessingLogEntry[] = [], rows: ResultRow[] = []): PipelineOutput {
  return { records, rows, errors, done: false };
}

/**
 * `SELECT UCASE(NAME) AS NAME … FROM source`: JSON values `{"name": …}` to `{"NAME": …, "FROM": "p/offset"}` in the
 * sink, same key, partition left to the producer; a value that is not JSON goes to the processing log.
 */
export class UpperCasePipeline implements Pipeline {
  readonly topics: readonly PipelineTopic[];
  readonly seen = seen();
  readonly #sink: string;

  constructor(source: string, sink: string) {
    this.topics = [
      { name: source, role: "source" },
      { name: sink, role: "sink" },
    ];
    this.#sink = sink;
  }

  assign(partition: number): void {
    this.seen.assigned.add(partition);
    this.seen.events.push(`assign ${partition}`);
  }

  restore(): void {
    throw new Error("a stateless pipeline has nothing to restore");
  }

  revoke(partition: number): void {
    this.seen.assigned.delete(partition);
    this.seen.events.push(`revoke ${partition}`);
  }

  process(records: readonly InputRecord[]): PipelineOutput {
    const out: OutputRecord[] = [];
    const errors: ProcessingLogEntry[] = [];
    for (const record of records) {
      if (!this.seen.assigned.has(record.partition)) throw new Error(`partition ${record.partition} is not assigned`);
      this.seen.processed.push(record);
      let name: unknown;
      try {
        name = (JSON.parse(record.value?.toString() ?? "null") as { name?: unknown } | null)?.name;
      } catch {
        errors.push({ code: "SQL_SERDE", message: "value: not JSON", ...where(record) });
        continue;
      }
      const value = { NAME: String(name).toUpperCase(), FROM: `${record.partition}/${record.offset}` };
      out.push({
        topic: this.#sink,
        key: record.key,
        value: Buffer.from(JSON.stringify(value)),
        timestamp: record.timestamp,
      });
    }
    return output(out, errors);
  }
}

/**
 * `SELECT K, COUNT(*) FROM source GROUP BY K` (keys already partitioned by K): the counts per partition in memory,
 * every change to the changelog (same partition) and to the sink.
 */
export class CountingPipeline implements Pipeline {
  readonly topics: readonly PipelineTopic[];
  readonly seen = seen();
  readonly counts = new Map<number, Map<string, number>>();
  readonly #changelog: string;
  readonly #sink: string;

  constructor(source: string, changelog: string, sink: string) {
    this.topics = [
      { name: source, role: "source" },
      { name: changelog, role: "changelog" },
      { name: sink, role: "sink" },
    ];
    this.#changelog = changelog;
    this.#sink = sink;
  }

  assign(partition: number): void {
    this.seen.assigned.add(partition);
    this.counts.set(partition, new Map());
    this.seen.events.push(`assign ${partition}`);
  }

  restore(topic: string, partition: number, records: readonly InputRecord[]): void {
    if (topic !== this.#changelog) throw new Error(`unexpected restore of ${topic}`);
    const counts = this.#state(partition);
    for (const record of records) {
      this.seen.restored.push(record);
      counts.set(record.key?.toString() ?? "", Number(record.value?.toString()));
    }
    this.seen.events.push(`restore ${partition} ${records.length}`);
  }

  revoke(partition: number): void {
    this.seen.assigned.delete(partition);
    this.counts.delete(partition);
    this.seen.events.push(`revoke ${partition}`);
  }

  process(records: readonly InputRecord[]): PipelineOutput {
    const out: OutputRecord[] = [];
    for (const record of records) {
      this.seen.processed.push(record);
      this.seen.events.push(`process ${record.partition}`);
      const counts = this.#state(record.partition);
      const key = record.key?.toString() ?? "";
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      const value = Buffer.from(String(count));
      out.push({
        topic: this.#changelog,
        partition: record.partition,
        key: record.key,
        value,
        timestamp: record.timestamp,
      });
      out.push({ topic: this.#sink, key: record.key, value, timestamp: record.timestamp });
    }
    return output(out);
  }

  #state(partition: number): Map<string, number> {
    const counts = this.counts.get(partition);
    if (counts === undefined) throw new Error(`partition ${partition} is not assigned`);
    return counts;
  }
}

/**
 * `SELECT s.K, t.V FROM s JOIN t ON s.K = t.K`, or with `sourceTable` a table as the query's own input: the table's
 * rows per partition (restored, then followed); stream records joined against them as rows for a client.
 */
export class JoinPipeline implements Pipeline {
  readonly topics: readonly PipelineTopic[];
  readonly seen = seen();
  readonly tables = new Map<number, Map<string, string>>();
  readonly #table: string;

  constructor(stream: string | undefined, table: string, role: "table" | "source-table" = "table") {
    this.topics = [...(stream ? [{ name: stream, role: "source" as const }] : []), { name: table, role }];
    this.#table = table;
  }

  assign(partition: number): void {
    this.seen.assigned.add(partition);
    this.tables.set(partition, new Map());
    this.seen.events.push(`assign ${partition}`);
  }

  restore(topic: string, partition: number, records: readonly InputRecord[]): void {
    if (topic !== this.#table) throw new Error(`unexpected restore of ${topic}`);
    for (const record of records) {
      this.seen.restored.push(record);
      this.#upsert(record);
    }
    this.seen.events.push(`restore ${partition} ${records.length}`);
  }

  revoke(partition: number): void {
    this.seen.assigned.delete(partition);
    this.tables.delete(partition);
  }

  process(records: readonly InputRecord[]): PipelineOutput {
    const rows: ResultRow[] = [];
    for (const record of records) {
      this.seen.processed.push(record);
      const key = record.key?.toString() ?? "";
      if (record.topic === this.#table) {
        this.#upsert(record);
        if (this.topics.some((t) => t.role === "source-table")) {
          rows.push({
            key: [key],
            value: record.value ? [record.value.toString()] : null,
            timestamp: record.timestamp,
          });
        }
        continue;
      }
      const joined = this.tables.get(record.partition)?.get(key) ?? null;
      rows.push({ key: [key], value: [record.value?.toString() ?? null, joined], timestamp: record.timestamp });
    }
    return output([], [], rows);
  }

  #upsert(record: InputRecord): void {
    const table = this.tables.get(record.partition);
    if (table === undefined) throw new Error(`partition ${record.partition} is not assigned`);
    const key = record.key?.toString() ?? "";
    if (record.value === null) table.delete(key);
    else table.set(key, record.value.toString());
  }
}

/** A LIMIT: the rows of another pipeline until `limit` of them came out. */
export function limited(inner: Pipeline, limit: number): Pipeline {
  let emitted = 0;
  return {
    topics: inner.topics,
    assign: (p) => inner.assign(p),
    restore: (topic, p, records) => inner.restore(topic, p, records),
    revoke: (p) => inner.revoke(p),
    process: (records) => {
      const out = inner.process(records);
      const rows = out.rows.slice(0, limit - emitted);
      emitted += rows.length;
      return { ...out, rows, done: emitted >= limit };
    },
  };
}

function where(record: InputRecord) {
  return { topic: record.topic, partition: record.partition, offset: record.offset };
}
