// The Alerts page's live data: two push queries from the earliest offset — the alerts table (each alert's latest
// update) and the acknowledgement stream (each alert's latest ack) — started again after a pause when they end or fail.
import { batch, signal } from "@preact/signals";
import { type SqlValue, sqlName, streamQuery } from "../../api/sql.ts";
import { type Ack, type Alert, ackOf, alertOf } from "./alert-model.ts";

/** `connecting` until both queries answered, `live` while both run, `retrying` after one ended or failed. */
export type FeedState = "connecting" | "live" | "retrying";

const RETRY_MS = 5000;
const FROM_START = { "auto.offset.reset": "earliest" } as const;

/** One push query kept running: rows go to `onRows` with the header's column names; restarts after an end. */
class RunningQuery {
  readonly #sql: string;
  readonly #onRows: (columns: readonly string[], rows: readonly SqlValue[][]) => void;
  readonly #onState: () => void;
  #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  live = false;
  error: string | null = null;

  constructor(
    sql: string,
    onRows: (columns: readonly string[], rows: readonly SqlValue[][]) => void,
    onState: () => void,
  ) {
    this.#sql = sql;
    this.#onRows = onRows;
    this.#onState = onState;
  }

  start(): void {
    let columns: readonly string[] = [];
    this.#controller = new AbortController();
    streamQuery(this.#sql, {
      properties: FROM_START,
      signal: this.#controller.signal,
      onHeader: (header) => {
        columns = header.columnNames;
        this.live = true;
        this.error = null;
        this.#onState();
      },
      onRows: (rows) => this.#onRows(columns, rows),
    })
      .then(
        () => this.#ended(null),
        (error: unknown) => this.#ended(error instanceof Error ? error.message : String(error)),
      )
      .catch(() => {});
  }

  #ended(error: string | null): void {
    this.live = false;
    if (this.#stopped) return;
    this.error = error ?? "The query ended; starting it again";
    this.#onState();
    // Every restart reads from the earliest offset again; the page keeps the latest row per key, so nothing doubles.
    this.#timer = setTimeout(() => this.start(), RETRY_MS);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#controller.abort();
  }
}

export class AlertFeed {
  readonly alerts = signal<ReadonlyMap<string, Alert>>(new Map());
  readonly acks = signal<ReadonlyMap<string, Ack>>(new Map());
  readonly state = signal<FeedState>("connecting");
  readonly error = signal<string | null>(null);
  readonly #queries: RunningQuery[];

  constructor(table: string, acksStream: string) {
    const onState = () => this.#updateState();
    this.#queries = [
      new RunningQuery(
        `SELECT * FROM ${sqlName(table)} EMIT CHANGES;`,
        (columns, rows) => this.#takeAlerts(columns, rows),
        onState,
      ),
      new RunningQuery(
        `SELECT ROWTIME AS ACKED_AT, * FROM ${sqlName(acksStream)} EMIT CHANGES;`,
        (columns, rows) => this.#takeAcks(columns, rows),
        onState,
      ),
    ];
  }

  start(): void {
    for (const query of this.#queries) query.start();
  }

  stop(): void {
    for (const query of this.#queries) query.stop();
  }

  /** Shows an acknowledgement at once, before the stream brings it back (it then replaces this one). */
  noteAck(ack: Ack): void {
    const next = new Map(this.acks.value);
    next.set(ack.alertId, ack);
    this.acks.value = next;
  }

  #updateState(): void {
    batch(() => {
      const errors = this.#queries.map((q) => q.error).filter((e) => e !== null);
      this.error.value = errors[0] ?? null;
      if (this.#queries.every((q) => q.live)) this.state.value = "live";
      else if (errors.length > 0) this.state.value = "retrying";
    });
  }

  #takeAlerts(columns: readonly string[], rows: readonly SqlValue[][]): void {
    const next = new Map(this.alerts.value);
    for (const row of rows) {
      const alert = alertOf(columns, row);
      if (alert !== undefined) next.set(alert.id, alert);
    }
    this.alerts.value = next;
  }

  #takeAcks(columns: readonly string[], rows: readonly SqlValue[][]): void {
    const next = new Map(this.acks.value);
    for (const row of rows) {
      const ack = ackOf(columns, row);
      if (ack !== undefined) next.set(ack.alertId, ack);
    }
    this.acks.value = next;
  }
}
