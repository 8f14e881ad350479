// The raw consume+produce ceiling of bench/sql: every record of the source copied, bytes untouched, to a sink topic by
// Fabrik's Kafka client as bench/kafka drives it (consumeOwned with 1 MiB fetches; 1,000 records per send, 5 sends in
// flight, acks=all, idempotent), committing what was acknowledged, one commit at a time — a query that does nothing.
// Run with fork(); the parent sends a RawPlan, then EngineCommands (see measured-process.ts).

import { consumeOwned, createConsumer, createProducer, type Message, type OwnedStream } from "../../src/kafka/index.ts";
import { RAW_IN_FLIGHT } from "../support/raw-produce.ts";
import { serveMeasured } from "./measured-process.ts";
import type { RawPlan } from "./plan.ts";

const BATCH = 1000;
/** A partial batch waits this long for more records before it is sent: the end of the topic. */
const LINGER_MS = 5;

type ByteMessage = Message<Buffer, Buffer, Buffer, Buffer>;

interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly leaderEpoch: number;
}

/** Per partition, the offset after the batch's last record: what to commit once the batch is acknowledged. */
function nextOffsets(batch: readonly ByteMessage[]): CommitOffset[] {
  const next = new Map<number, CommitOffset>();
  for (const m of batch)
    next.set(m.partition, { topic: m.topic, partition: m.partition, offset: m.offset + 1n, leaderEpoch: -1 });
  return [...next.values()];
}

serveMeasured(async (plan: RawPlan) => {
  const kafka = { bootstrapServers: plan.bootstrapServers };
  const consumer = createConsumer(kafka, { groupId: plan.groupId, clientId: "bench-sql-raw" });
  const producer = createProducer(kafka, { clientId: "bench-sql-raw" });
  const log: string[] = [];
  let stream: OwnedStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  return {
    driver: "raw",
    log,
    async run() {
      const owned = await consumeOwned(consumer, { topics: [plan.source], mode: "earliest", autocommit: false });
      stream = owned;
      let batch: ByteMessage[] = [];
      let inFlight = 0;
      let linger: NodeJS.Timeout | undefined;
      // Sends are acknowledged in the order they were made (chained); each ack moves the offsets to commit on.
      let acked = Promise.resolve();
      const fail = (error: unknown) => {
        if (log.length < 8) log.push(`error: ${(error as Error).message}`);
      };
      // One commit at a time, of the latest acknowledged offsets: commits never hold sends back.
      const toCommit = new Map<number, CommitOffset>();
      let committing = false;
      const commit = () => {
        if (committing || toCommit.size === 0) return;
        const offsets = [...toCommit.values()];
        toCommit.clear();
        committing = true;
        consumer.commit({ offsets }).then(() => {
          committing = false;
          commit();
        }, fail);
      };
      const flush = () => {
        clearTimeout(linger);
        linger = undefined;
        if (batch.length === 0) return;
        const sent = batch;
        batch = [];
        if (++inFlight >= RAW_IN_FLIGHT) owned.messages.pause();
        const send = producer.send({
          messages: sent.map((m) => ({
            topic: plan.sink,
            partition: m.partition,
            key: m.key,
            value: m.value,
            timestamp: m.timestamp,
          })),
        });
        acked = acked
          .then(() => send)
          .then(() => {
            for (const offset of nextOffsets(sent)) toCommit.set(offset.partition, offset);
            inFlight--;
            owned.messages.resume();
            commit();
          }, fail);
      };
      owned.messages.on("data", (message: ByteMessage) => {
        batch.push(message);
        if (batch.length >= BATCH) flush();
        else linger ??= setTimeout(flush, LINGER_MS);
      });
      owned.messages.on("error", fail);
      return { queryId: "raw passthrough", groupId: plan.groupId };
    },
    async close() {
      await stream?.close();
      await consumer.close();
      await producer.close();
    },
  };
});
