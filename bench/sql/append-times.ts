// The broker's append time of each record a consumer reads from a LogAppendTime topic. The client library gives every
// record its batch's first timestamp plus the record's delta and ignores the batch's timestamp type, so for such a
// topic it reports the producer's times; the append time is the batch's maxTimestamp, read here from the fetch
// responses on @platformatic/kafka's consumer:fetches diagnostics channel before the records are delivered.

import { subscribe, unsubscribe } from "node:diagnostics_channel";

/** Bit 3 of a record batch's attributes: its timestamps are the broker's append time. */
const LOG_APPEND_TIME = 0x08;
const CHANNEL = "tracing:plt:kafka:consumer:fetches:asyncStart";

interface Batch {
  readonly firstOffset: bigint;
  readonly lastOffsetDelta: number;
  readonly attributes: number;
  readonly maxTimestamp: bigint;
}

interface FetchContext {
  readonly client?: unknown;
  readonly result?: {
    readonly responses?: readonly {
      readonly partitions?: readonly { readonly partitionIndex: number; readonly records?: readonly Batch[] | null }[];
    }[];
  };
}

interface Range {
  readonly last: bigint;
  readonly time: number;
}

/** Watches the fetches of `client` (a consumer of one topic) until `close`. */
export class AppendTimes {
  readonly #client: unknown;
  /** Per partition, the fetched batches' last offsets and append times, oldest first. */
  readonly #ranges = new Map<number, Range[]>();
  readonly #listener = (message: unknown) => this.#fetched(message as FetchContext);

  constructor(client: unknown) {
    this.#client = client;
    subscribe(CHANNEL, this.#listener);
  }

  /** The append time of the record at `offset` of `partition`; undefined when its batch was not a LogAppendTime one. */
  of(partition: number, offset: bigint): number | undefined {
    const ranges = this.#ranges.get(partition);
    // Records are read in offset order: batches before this record's are done with.
    while (ranges !== undefined && ranges.length > 0 && (ranges[0]?.last ?? 0n) < offset) ranges.shift();
    return ranges?.[0]?.time;
  }

  close(): void {
    unsubscribe(CHANNEL, this.#listener);
  }

  #fetched(context: FetchContext): void {
    if (context.client !== this.#client) return;
    for (const response of context.result?.responses ?? []) {
      for (const partition of response.partitions ?? []) {
        for (const batch of partition.records ?? []) {
          if ((batch.attributes & LOG_APPEND_TIME) === 0) continue;
          let ranges = this.#ranges.get(partition.partitionIndex);
          if (ranges === undefined) {
            ranges = [];
            this.#ranges.set(partition.partitionIndex, ranges);
          }
          ranges.push({ last: batch.firstOffset + BigInt(batch.lastOffsetDelta), time: Number(batch.maxTimestamp) });
        }
      }
    }
  }
}
