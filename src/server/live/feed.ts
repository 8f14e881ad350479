// The live feed behind GET /api/live: the plant catalog kept fresh, one Kafka reader for every browser, samples in
// batches every 100 ms at most, health every second and a keep-alive comment every 15 s.
import type { ServerResponse } from "node:http";
import type { ConnectMetrics } from "../../connect/rest/metrics.ts";
import type { ConnectService } from "../../connect/service.ts";
import type { KafkaConfig } from "../../kafka/index.ts";
import { errorMessage } from "../../plc/index.ts";
import { buildCatalog, type PlantCatalog, readCatalog } from "../plant-catalog.ts";
import { HealthReporter, sourceKey } from "./health.ts";
import { LiveHub, type LiveHubOptions } from "./hub.ts";
import { type FeedRecord, type SeriesSample, sampleOf } from "./samples.ts";
import { openEventStream } from "./sse.ts";
import { type FollowedTopics, KafkaTail } from "./tail.ts";

/** The reader of the plant's topics, replaceable in tests. */
export interface SampleTail {
  follow(topics: FollowedTopics): void;
  close(): Promise<void>;
}

export interface FeedLog {
  warn(message: string): void;
}

export interface LiveFeedOptions {
  /** Without it the plant is empty: the feed knows the plant only from connectors. */
  readonly connect?: { readonly service: ConnectService; readonly metrics: ConnectMetrics };
  readonly kafka: KafkaConfig;
  readonly log: FeedLog;
  readonly hub?: LiveHubOptions;
  /** Makes the reader (default: KafkaTail on `kafka`). */
  readonly tail?: (onRecords: (records: readonly FeedRecord[]) => void) => SampleTail;
  /** The longest a sample waits before it is sent (default 100 ms). */
  readonly batchMs?: number;
  /** How often health is sent and the catalog read again (default 1 s). */
  readonly tickMs?: number;
  readonly keepAliveMs?: number;
}

/** Samples of each series kept as recent history, and how many records back from a topic's end hold them. */
const HISTORY_PER_SERIES = 120;

export class LiveFeed {
  readonly #options: LiveFeedOptions;
  readonly #hub: LiveHub;
  readonly #health: HealthReporter | undefined;
  readonly #lastSamples = new Map<string, number>();
  #catalog: PlantCatalog = buildCatalog([]);
  #tail: SampleTail | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #tickTimer: NodeJS.Timeout | undefined;
  #keepAliveTimer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #unreadable = "";
  #failure = "";
  #closed = false;

  constructor(options: LiveFeedOptions) {
    this.#options = options;
    this.#hub = new LiveHub({
      historyPerSeries: HISTORY_PER_SERIES,
      onDrop: (reason) => options.log.warn(`live feed: dropped a browser: ${reason}`),
      ...options.hub,
    });
    this.#health = options.connect && new HealthReporter(options.connect.service, options.connect.metrics);
  }

  /** Reads the catalog, starts the reader and the timers. */
  start(): void {
    if (this.#options.connect !== undefined) {
      const makeTail =
        this.#options.tail ??
        ((onRecords) =>
          new KafkaTail({ kafka: this.#options.kafka, onRecords, warn: (m) => this.#options.log.warn(m) }));
      this.#tail = makeTail((records) => this.#take(records));
    }
    this.#tickTimer = setInterval(() => this.#tick(), this.#options.tickMs ?? 1_000);
    this.#keepAliveTimer = setInterval(() => this.#hub.keepAlive(), this.#options.keepAliveMs ?? 15_000);
    this.#tick();
  }

  /** Streams the feed on a response the framework no longer handles. */
  attach(response: ServerResponse): void {
    if (this.#closed) {
      response.writeHead(503, { "content-type": "application/json" }).end('{"error_code":503,"message":"stopping"}');
      return;
    }
    const client = openEventStream(response, () => this.#hub.remove(client));
    this.#hub.add(client);
  }

  /** Ends every stream and stops reading; resolves once nothing of the feed runs any more. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    clearInterval(this.#tickTimer);
    clearInterval(this.#keepAliveTimer);
    this.#hub.closeAll("the server is stopping");
    await this.#ticking;
    await this.#tail?.close();
  }

  #take(records: readonly FeedRecord[]): void {
    const samples: SeriesSample[] = [];
    for (const record of records) {
      const found = sampleOf(this.#catalog, record);
      if (found === undefined) continue;
      samples.push(found);
      const key = sourceKey(found.sample.connector, found.sample.source);
      if ((this.#lastSamples.get(key) ?? 0) < found.sample.ts) this.#lastSamples.set(key, found.sample.ts);
    }
    if (samples.length === 0) return;
    this.#hub.take(samples);
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      this.#hub.flush();
    }, this.#options.batchMs ?? 100);
  }

  /** Once a second; a tick still running (Kafka slow to answer) makes the next one wait its turn. */
  #tick(): void {
    if (this.#ticking !== undefined || this.#closed) return;
    this.#ticking = this.#refresh()
      .then(() => {
        this.#failure = "";
      })
      .catch((error: unknown) => {
        // Said once while it lasts, not every second.
        const message = `live feed: ${errorMessage(error)}`;
        if (message !== this.#failure) this.#options.log.warn(message);
        this.#failure = message;
      })
      .finally(() => {
        this.#ticking = undefined;
      });
  }

  async #refresh(): Promise<void> {
    const connect = this.#options.connect;
    if (connect === undefined || this.#health === undefined) {
      this.#hub.health({ sources: [] });
      return;
    }
    const catalog = await readCatalog(connect.service);
    if (this.#closed) return;
    this.#useCatalog(catalog);
    await this.#health.sample();
    if (this.#hub.clients > 0 && !this.#closed) this.#hub.health(await this.#health.report(catalog, this.#lastSamples));
  }

  #useCatalog(catalog: PlantCatalog): void {
    const unreadable = catalog.unreadable.join("; ");
    if (unreadable !== this.#unreadable && unreadable !== "") {
      this.#options.log.warn(`live feed: connectors left out of the plant: ${unreadable}`);
    }
    this.#unreadable = unreadable;
    const changed = catalog.fingerprint !== this.#catalog.fingerprint;
    this.#catalog = catalog;
    if (changed) this.#hub.setPlant(catalog.plant);
    const topics = new Map(
      [...catalog.topics].map(([topic, index]) => [topic, index.recordsPerRound * HISTORY_PER_SERIES]),
    );
    this.#tail?.follow(topics);
  }
}
