// A SqlService the API tests control: scripted answers, and queries whose rows the test pushes one at a time.
import { EventEmitter } from "node:events";
import type {
  JsonValue,
  KsqlEntity,
  QueryStream,
  ResultColumn,
  ServerInfo,
  SqlService,
} from "../../../src/sql/engine/entities.ts";

/**
 * A query whose rows arrive when the test pushes them. Emits "pulled" each time the consumer takes a row and "closed"
 * once; `rows` ends after `end()` or `close()`, and throws what `fail()` was given.
 */
export class FakeQuery extends EventEmitter implements QueryStream {
  readonly queryId: string;
  readonly kind: "push" | "pull" | "print";
  readonly columns: readonly ResultColumn[];
  readonly text: string;
  readonly properties: Readonly<Record<string, unknown>>;
  closed = false;
  pulled = 0;
  readonly #queue: (readonly JsonValue[])[] = [];
  #ended = false;
  #failure: unknown;
  #wake: (() => void) | undefined;

  constructor(options: {
    queryId: string;
    kind: "push" | "pull" | "print";
    columns: readonly ResultColumn[];
    text?: string;
    properties?: Readonly<Record<string, unknown>>;
  }) {
    super();
    this.queryId = options.queryId;
    this.kind = options.kind;
    this.columns = options.columns;
    this.text = options.text ?? "";
    this.properties = options.properties ?? {};
  }

  push(...rows: (readonly JsonValue[])[]): this {
    this.#queue.push(...rows);
    this.#poke();
    return this;
  }

  end(): this {
    this.#ended = true;
    this.#poke();
    return this;
  }

  fail(error: unknown): this {
    this.#failure = error;
    this.#poke();
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#poke();
    this.emit("closed");
  }

  get rows(): AsyncIterable<readonly JsonValue[]> {
    return { [Symbol.asyncIterator]: () => this.#iterate() };
  }

  async *#iterate(): AsyncGenerator<readonly JsonValue[]> {
    for (;;) {
      if (this.closed) return;
      const row = this.#queue.shift();
      if (row !== undefined) {
        this.pulled++;
        this.emit("pulled");
        yield row;
        continue;
      }
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #poke(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

export const ID_COLUMNS: readonly ResultColumn[] = [
  { name: "ID", type: "STRING", key: true },
  { name: "SPEED", type: "DOUBLE", key: false },
];

/**
 * Records every call and emits "executed" and "query"; `onExecute`/`onQuery` script the answers (defaults: a SUCCESS
 * status, a push query with no rows yet).
 */
export class FakeSqlService extends EventEmitter implements SqlService {
  readonly executed: { text: string; properties: Readonly<Record<string, unknown>> }[] = [];
  readonly queries: FakeQuery[] = [];
  reachable = true;
  onExecute: (text: string, properties: Readonly<Record<string, unknown>>) => KsqlEntity[] = (text) => [
    status(text, "Stream created"),
  ];
  onQuery: (text: string, properties: Readonly<Record<string, unknown>>) => FakeQuery = (text, properties) =>
    new FakeQuery({
      queryId: `transient_${this.queries.length + 1}`,
      kind: "push",
      columns: ID_COLUMNS,
      text,
      properties,
    });

  async execute(text: string, properties: Readonly<Record<string, unknown>> = {}): Promise<KsqlEntity[]> {
    this.executed.push({ text, properties });
    try {
      return this.onExecute(text, properties);
    } finally {
      this.emit("executed");
    }
  }

  async query(text: string, properties: Readonly<Record<string, unknown>> = {}): Promise<QueryStream> {
    const query = this.onQuery(text, properties);
    this.queries.push(query);
    this.emit("query", query);
    return query;
  }

  closeQuery(queryId: string): boolean {
    const query = this.queries.find((q) => q.queryId === queryId && !q.closed);
    query?.close();
    return query !== undefined;
  }

  info(): ServerInfo {
    return { version: "0.1.0", kafkaClusterId: "cluster-1", ksqlServiceId: "fabrik_", serverStatus: "RUNNING" };
  }

  async healthy() {
    return {
      isHealthy: this.reachable,
      details: { metastore: { isHealthy: true }, kafka: { isHealthy: this.reachable } },
    };
  }
}

export function status(statementText: string, message: string): KsqlEntity {
  return {
    "@type": "currentStatus",
    statementText,
    warnings: [],
    commandId: "stream/S/create",
    commandStatus: { status: "SUCCESS", message, queryId: null },
    commandSequenceNumber: 1,
  };
}
