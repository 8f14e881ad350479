// The live feed's one Kafka reader: every job topic of the plant, read_committed, without a consumer group, from a
// little before the end (the recent history) onwards.
import { setTimeout as sleep } from "node:timers/promises";
import type { KafkaConfig } from "../../kafka/index.ts";
import { errorMessage } from "../../plc/index.ts";
import { type PartitionFetcher, standaloneFetcher } from "../../sql/engine/fetcher.ts";
import { rangesByTime } from "../topic-offsets.ts";
import type { FeedRecord } from "./samples.ts";

export interface TailOptions {
  readonly kafka: KafkaConfig;
  /** Records of each poll, in offset order per partition. */
  readonly onRecords: (records: readonly FeedRecord[]) => void;
  readonly warn: (message: string) => void;
  /** A record older than this when the feed starts reading its topic is not news (default 10 minutes). */
  readonly windowMs?: number;
  readonly now?: () => number;
}

/** What a topic is followed for: `backlog` records per partition are read back from its end when it is new. */
export type FollowedTopics = ReadonlyMap<string, number>;

const DEFAULT_WINDOW_MS = 10 * 60 * 1000;
/** A poll waits this long for records at most; so does close. */
const POLL_WAIT_MS = 500;
/** After a failed poll, the feed tries again this much later. */
const RETRY_MS = 1_000;

/** Reads the followed topics until closed; `follow` changes them at any time. */
export class KafkaTail {
  readonly #options: TailOptions;
  readonly #fetcher: PartitionFetcher;
  readonly #stop = new AbortController();
  #wanted: FollowedTopics = new Map();
  /** Topics positioned, with their partition counts. */
  readonly #positioned = new Map<string, number>();
  /** Topics that could not be positioned (not created yet): tried again at the next `follow`, said once. */
  readonly #missing = new Set<string>();
  #retryMissing = true;
  #wake: (() => void) | undefined;
  /** Set by follow and close while the reader was busy, so that it does not go to sleep on news it missed. */
  #woken = false;
  #running: Promise<void> | undefined;
  #failing = false;

  constructor(options: TailOptions) {
    this.#options = options;
    this.#fetcher = standaloneFetcher(options.kafka, "fabrik-server-live", {
      maxWaitMs: POLL_WAIT_MS,
      reset: "latest",
    });
  }

  /** The topics to read from now on; new ones start near their end, ones no longer named are forgotten. */
  follow(topics: FollowedTopics): void {
    this.#wanted = topics;
    this.#retryMissing = true;
    this.#running ??= this.#run();
    this.#rouse();
  }

  async close(): Promise<void> {
    this.#stop.abort();
    this.#rouse();
    await this.#fetcher.close();
    await this.#running;
  }

  #rouse(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      try {
        await this.#position();
        if (this.#fetcher.idle) {
          if (!this.#woken) {
            await new Promise<void>((resolve) => {
              this.#wake = resolve;
            });
          }
          this.#woken = false;
          this.#wake = undefined;
          continue;
        }
        const records = await this.#fetcher.poll();
        if (records.length > 0) this.#options.onRecords(records);
        this.#failing = false;
      } catch (error) {
        if (signal.aborted) break;
        // Said once per outage, not every second while it lasts.
        if (!this.#failing)
          this.#options.warn(`live feed: reading the plant topics failed (${errorMessage(error)}); trying again`);
        this.#failing = true;
        await sleep(RETRY_MS, undefined, { signal }).catch(() => {});
      }
    }
  }

  /** Positions topics newly wanted and forgets those no longer wanted; a topic missing yet is tried at the next call. */
  async #position(): Promise<void> {
    for (const [topic, partitions] of this.#positioned) {
      if (this.#wanted.has(topic)) continue;
      for (let partition = 0; partition < partitions; partition++) this.#fetcher.forget(topic, partition);
      this.#positioned.delete(topic);
    }
    const retry = this.#retryMissing;
    this.#retryMissing = false;
    const now = (this.#options.now ?? Date.now)();
    for (const [topic, backlog] of this.#wanted) {
      if (this.#stop.signal.aborted) return;
      if (this.#positioned.has(topic) || (this.#missing.has(topic) && !retry)) continue;
      const windowStart = now - (this.#options.windowMs ?? DEFAULT_WINDOW_MS);
      const ranges = await rangesByTime(this.#fetcher, topic, windowStart).catch((error: unknown) => {
        // Closing fails what was in flight: that is no news.
        if (this.#stop.signal.aborted) return undefined;
        if (!this.#missing.has(topic)) {
          this.#options.warn(`live feed: topic ${topic} cannot be read yet (${errorMessage(error)})`);
        }
        this.#missing.add(topic);
        return undefined;
      });
      if (ranges === undefined) continue;
      this.#missing.delete(topic);
      const earliest = await this.#fetcher.offsets(topic, "earliest");
      for (const { partition, start, end } of ranges) {
        const floor = end - BigInt(backlog);
        const first = earliest[partition] ?? 0n;
        // The later of: the window's start, `backlog` records before the end, the log's start.
        let from = start > floor ? start : floor;
        if (from < first) from = first;
        this.#fetcher.seek(topic, partition, from);
      }
      this.#positioned.set(topic, ranges.length);
    }
  }
}
