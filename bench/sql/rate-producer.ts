// bench/sql's steady load for the latency run, in a process of its own: readings (records.ts) at a fixed rate, each
// stamped with its send time in SENT, counted as scenario (a)'s filter will count them, until the parent says "stop".
// Run with fork(); the parent sends a RatePlan, later "stop", and receives RateEvents, the last one "done".

import { createProducer, defaultPartition } from "../../src/kafka/index.ts";
import { PARTITIONS, passesFilter, reading } from "./records.ts";

export interface RatePlan {
  readonly bootstrapServers: readonly string[];
  readonly topic: string;
  readonly recordsPerSecond: number;
  readonly seed: number;
}

export type RateEvent =
  | { readonly type: "producing"; readonly at: number }
  | {
      readonly type: "done";
      readonly sent: number;
      /** From the first tick to "stop". */
      readonly seconds: number;
      /** Records that pass scenario (a)'s filter: what its sink should receive. */
      readonly passing: number;
      /** The most schedule one tick had to catch up on, ms (TICK_MS when timers are on time; more on busy cores). */
      readonly behindMaxMs: number;
      readonly failedSends: number;
      readonly firstFailure: string | undefined;
    }
  | { readonly type: "failed"; readonly message: string };

/** Sends are made every TICK_MS with whatever the schedule says is due: 200 records a tick at 20,000/s. */
const TICK_MS = 10;
/** Records per send at most (about 200 KB). */
const SEND_MAX = 1000;
/** Sends outstanding at most; past it a tick's records wait for the next tick (and show as lag). */
const MAX_IN_FLIGHT = 50;

function emit(event: RateEvent, then: () => void = () => {}): void {
  process.send?.(event, then);
}

async function run(plan: RatePlan): Promise<void> {
  let stopAt: number | undefined;
  process.once("message", () => {
    stopAt = Date.now();
  });
  const producer = createProducer({ bootstrapServers: plan.bootstrapServers }, { clientId: "bench-sql-rate" });
  // Connected and the topic's leaders known before the clock starts.
  await producer.metadata({ topics: [plan.topic] });
  let sent = 0;
  let passing = 0;
  const sending = new Set<Promise<void>>();
  let behindMaxMs = 0;
  let failedSends = 0;
  let firstFailure: string | undefined;
  const start = Date.now();
  emit({ type: "producing", at: start });
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      const elapsed = Math.min(now, stopAt ?? now) - start;
      const due = Math.floor((elapsed * plan.recordsPerSecond) / 1000) - sent;
      if (due > 0) behindMaxMs = Math.max(behindMaxMs, (due * 1000) / plan.recordsPerSecond);
      // A late tick catches up in several sends: one request stays under the broker's 1 MB limit.
      for (let chunk = 0; chunk < due && sending.size < MAX_IN_FLIGHT; chunk += SEND_MAX) {
        const messages = [];
        for (let i = 0; i < Math.min(SEND_MAX, due - chunk); i++) {
          // The record's Kafka timestamp is the producer's (now); reading's own event time is not used here.
          const r = reading(plan.seed, sent, 0, Date.now());
          sent++;
          if (passesFilter(r)) passing++;
          const key = Buffer.from(r.key);
          messages.push({
            topic: plan.topic,
            partition: defaultPartition(key, PARTITIONS),
            key,
            value: Buffer.from(r.json),
          });
        }
        const send = producer.send({ messages }).then(
          () => {
            sending.delete(send);
          },
          (error: unknown) => {
            sending.delete(send);
            failedSends++;
            firstFailure ??= (error as Error).message;
          },
        );
        sending.add(send);
      }
      if (stopAt !== undefined && due <= 0) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  await Promise.all(sending);
  await producer.close();
  const seconds = ((stopAt ?? Date.now()) - start) / 1000;
  emit({ type: "done", sent, seconds, passing, behindMaxMs, failedSends, firstFailure }, () => process.exit(0));
}

process.once("disconnect", () => process.exit(1));
process.once("message", (plan: RatePlan) => {
  run(plan).catch((error: unknown) =>
    emit({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () =>
      process.exit(1),
    ),
  );
});
