// The live feed's fan-out: every connected browser gets the plant, the recent history, then the same batches of samples
// and health, and one that cannot keep up is dropped instead of growing the server's memory.
import type { Plant } from "../plant-catalog.ts";
import { eventJson, type LiveSample, type SeriesSample } from "./samples.ts";

/** A connected browser as the hub sees it: an event stream it writes to. */
export interface LiveClient {
  /** Writes text to the stream, as it is. */
  send(text: string): void;
  /** Bytes written to the stream that the network has not taken yet. */
  backlog(): number;
  /** Ends the stream, saying why; the browser's EventSource reconnects and starts over with the history. */
  drop(reason: string): void;
}

export interface LiveHubOptions {
  /** Samples kept per series (a job; a tag of a tag-format job) and replayed to a browser that connects (120). */
  readonly historyPerSeries?: number;
  /** A browser more than this many bytes behind is dropped (default 4 MiB: minutes of a plant's samples). */
  readonly maxClientBacklog?: number;
  /** Samples held between two batches at most; past it the oldest go (default 20,000). */
  readonly maxPending?: number;
  /** Hears every browser dropped, with why. */
  readonly onDrop?: (reason: string) => void;
}

const DEFAULT_HISTORY = 120;
const DEFAULT_MAX_BACKLOG = 4 * 1024 * 1024;
const DEFAULT_MAX_PENDING = 20_000;

/** One server-sent event: its name and its data as one line of JSON. */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${eventJson(data)}\n\n`;
}

export const KEEP_ALIVE = ": keep-alive\n\n";

export class LiveHub {
  readonly #clients = new Set<LiveClient>();
  readonly #rings = new Map<string, LiveSample[]>();
  readonly #historyPerSeries: number;
  readonly #maxBacklog: number;
  readonly #maxPending: number;
  readonly #onDrop: (reason: string) => void;
  #pending: SeriesSample[] = [];
  #plant: string = sseEvent("plant", { sources: [] });
  #dropped = 0;

  constructor(options: LiveHubOptions = {}) {
    this.#historyPerSeries = options.historyPerSeries ?? DEFAULT_HISTORY;
    this.#maxBacklog = options.maxClientBacklog ?? DEFAULT_MAX_BACKLOG;
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#onDrop = options.onDrop ?? (() => {});
  }

  get clients(): number {
    return this.#clients.size;
  }

  /** Samples taken and not yet sent. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Samples that went unsent because too many piled up between two batches. */
  get droppedSamples(): number {
    return this.#dropped;
  }

  /** Sends the plant, then the recent history (oldest first), then everything broadcast from now on. */
  add(client: LiveClient): void {
    const history = [...this.#rings.values()].flat().sort((a, b) => a.ts - b.ts);
    client.send(this.#plant + sseEvent("samples", { samples: history }));
    this.#clients.add(client);
    this.#check(client);
  }

  remove(client: LiveClient): void {
    this.#clients.delete(client);
  }

  /** A new plant: sent to every browser, and the history of series no longer in it forgotten. */
  setPlant(plant: Plant): void {
    this.#plant = sseEvent("plant", plant);
    const jobs = new Set(
      plant.sources.flatMap((s) => s.jobs.map((j) => `${s.connector}\u0000${s.source}\u0000${j.name}`)),
    );
    for (const series of this.#rings.keys()) {
      const job = series.split("\u0000").slice(0, 3).join("\u0000");
      if (!jobs.has(job)) this.#rings.delete(series);
    }
    this.#broadcast(this.#plant);
  }

  /** Samples read from Kafka, for the next batch. */
  take(samples: readonly SeriesSample[]): void {
    for (const sample of samples) this.#pending.push(sample);
    const over = this.#pending.length - this.#maxPending;
    if (over > 0) {
      this.#pending = this.#pending.slice(over);
      this.#dropped += over;
    }
  }

  /** Sends what was taken since the last batch as one `samples` event, and keeps it as recent history. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    for (const { series, sample } of batch) {
      let ring = this.#rings.get(series);
      if (ring === undefined) {
        ring = [];
        this.#rings.set(series, ring);
      }
      ring.push(sample);
      if (ring.length > this.#historyPerSeries) ring.shift();
    }
    if (this.#clients.size > 0) this.#broadcast(sseEvent("samples", { samples: batch.map((s) => s.sample) }));
  }

  health(data: unknown): void {
    this.#broadcast(sseEvent("health", data));
  }

  keepAlive(): void {
    this.#broadcast(KEEP_ALIVE);
  }

  /** Ends every stream (the server is stopping). */
  closeAll(reason: string): void {
    for (const client of [...this.#clients]) {
      this.#clients.delete(client);
      client.drop(reason);
    }
  }

  #broadcast(text: string): void {
    for (const client of [...this.#clients]) {
      client.send(text);
      this.#check(client);
    }
  }

  #check(client: LiveClient): void {
    const backlog = client.backlog();
    if (backlog <= this.#maxBacklog) return;
    this.#clients.delete(client);
    const reason = `the browser fell ${backlog} bytes behind (at most ${this.#maxBacklog}); it reconnects and starts over`;
    this.#onDrop(reason);
    client.drop(reason);
  }
}
