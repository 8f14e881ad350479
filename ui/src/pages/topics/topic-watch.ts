// Watches one topic's messages live with PRINT over the SQL API: the newest first, at most a chosen number kept,
// with pause (messages keep arriving and wait), clear, and the key and value formats PRINT names.
import { batch, signal } from "@preact/signals";
import { SqlError, sqlString, streamQuery } from "../../api/sql.ts";
import { type PrintedMessage, parsePrintLine } from "./print-lines.ts";

export interface TopicMessage extends PrintedMessage {
  /** Arrival number, 1-based: the message's key in the table. */
  readonly seq: number;
}

/**
 * - `connecting`: the PRINT request is on its way; `live`: it answered and messages arrive as they are written.
 * - `ended`: the server ended the stream (a restart, say); `failed`: it was refused or broke off; `stopped`: closed here.
 */
export type WatchState = "connecting" | "live" | "ended" | "failed" | "stopped";

export class TopicWatch {
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly messages = signal<readonly TopicMessage[]>([]);
  /** Every message received since the watch started (or was cleared). */
  readonly received = signal(0);
  /** Messages that arrived while paused, shown on resume. */
  readonly waiting = signal(0);
  readonly paused = signal(false);
  readonly state = signal<WatchState>("connecting");
  readonly error = signal<SqlError | null>(null);
  readonly keyFormat = signal<string | null>(null);
  readonly valueFormat = signal<string | null>(null);
  #cap: number;
  #held: TopicMessage[] = [];
  readonly #controller = new AbortController();

  constructor(topic: string, fromBeginning: boolean, cap: number) {
    this.topic = topic;
    this.fromBeginning = fromBeginning;
    this.#cap = cap;
  }

  start(): void {
    const statement = `PRINT ${sqlString(this.topic)}${this.fromBeginning ? " FROM BEGINNING" : ""};`;
    streamQuery(statement, {
      signal: this.#controller.signal,
      onHeader: () => {
        this.state.value = "live";
      },
      onRows: (rows) => this.#take(rows.map((row) => (typeof row[0] === "string" ? row[0] : JSON.stringify(row[0])))),
    }).then(
      (end) => {
        this.state.value = end === "stopped" ? "stopped" : "ended";
      },
      (error: unknown) => {
        batch(() => {
          this.state.value = "failed";
          this.error.value =
            error instanceof SqlError ? error : new SqlError("SQL_UNREACHABLE", String((error as Error)?.message));
        });
      },
    );
  }

  stop(): void {
    this.#controller.abort();
  }

  setCap(cap: number): void {
    this.#cap = cap;
    this.messages.value = this.messages.value.slice(0, cap);
  }

  pause(): void {
    this.paused.value = true;
  }

  resume(): void {
    batch(() => {
      this.paused.value = false;
      this.#show(this.#held);
      this.#held = [];
      this.waiting.value = 0;
    });
  }

  clear(): void {
    batch(() => {
      this.messages.value = [];
      this.#held = [];
      this.waiting.value = 0;
      this.received.value = 0;
    });
  }

  #take(lines: readonly string[]): void {
    const fresh: TopicMessage[] = [];
    let seq = this.received.value;
    batch(() => {
      for (const line of lines) {
        const parsed = parsePrintLine(line);
        if (parsed.kind === "key-format") this.keyFormat.value = parsed.format;
        else if (parsed.kind === "value-format") this.valueFormat.value = parsed.format;
        else if (parsed.kind === "message") fresh.push({ ...parsed.message, seq: ++seq });
      }
      this.received.value = seq;
      if (this.paused.value) {
        // Held messages are capped too: a long pause must not grow the page's memory without bound.
        this.#held = [...this.#held, ...fresh].slice(-this.#cap);
        this.waiting.value += fresh.length;
      } else {
        this.#show(fresh);
      }
    });
  }

  #show(fresh: readonly TopicMessage[]): void {
    if (fresh.length === 0) return;
    this.messages.value = [...[...fresh].reverse(), ...this.messages.value].slice(0, this.#cap);
  }
}
