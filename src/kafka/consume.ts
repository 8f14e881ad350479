// Group consumption that delivers only records of partitions this member owns at the moment they are delivered, and
// leaving a group without the client's stray heartbeats.
import { Transform } from "node:stream";
import type { ConsumeOptions, Consumer, Message, MessagesStream } from "@platformatic/kafka";

export interface OwnedStream<Key, Value, HeaderKey, HeaderValue> {
  /** The records, in order per partition; async-iterable and a Readable ('data' events). */
  readonly messages: Transform & AsyncIterable<Message<Key, Value, HeaderKey, HeaderValue>>;
  /** How many fetched records were dropped: their partition had moved to another member, or they came twice. */
  readonly dropped: () => number;
  close(): Promise<void>;
}

/**
 * Like `consumer.consume()`, without the two ways the client library delivers a record twice around a rebalance:
 * - a record fetched before a rebalance for a partition this member has since lost (its new owner reads it from the
 *   committed offset) is dropped;
 * - a partition this member keeps through a rebalance can be fetched again from its last committed offset (the
 *   library's offset refresh races its fetch): records below the next offset already delivered are dropped.
 * A partition that is revoked and later assigned again starts afresh from the committed offset, as it should.
 */
export async function consumeOwned<Key, Value, HeaderKey, HeaderValue>(
  consumer: Consumer<Key, Value, HeaderKey, HeaderValue>,
  options: ConsumeOptions<Key, Value, HeaderKey, HeaderValue>,
): Promise<OwnedStream<Key, Value, HeaderKey, HeaderValue>> {
  const stream: MessagesStream<Key, Value, HeaderKey, HeaderValue> = await consumer.consume(options);
  let dropped = 0;
  // The assignment changes only on a rebalance, and the client then replaces the array (it never edits it in place):
  // index it once per assignment, not once per record. Per owned partition: the next offset to deliver.
  let indexed: typeof consumer.assignments | undefined;
  let owned = new Map<string, Map<number, bigint | undefined>>();
  const positionsOf = (topic: string): Map<number, bigint | undefined> | undefined => {
    if (consumer.assignments !== indexed) {
      indexed = consumer.assignments;
      const previous = owned;
      owned = new Map(
        (indexed ?? []).map((a) => {
          const kept = previous.get(a.topic);
          return [a.topic, new Map(a.partitions.map((p) => [p, kept?.get(p)]))];
        }),
      );
    }
    return owned.get(topic);
  };
  // A synchronous transform: Readable.filter() would cost a promise per record (a quarter of the throughput).
  const messages = new Transform({
    objectMode: true,
    highWaterMark: 1024,
    transform(message: Message<Key, Value, HeaderKey, HeaderValue>, _encoding, done) {
      const positions = positionsOf(message.topic);
      const next = positions?.get(message.partition);
      if (!positions?.has(message.partition) || (next !== undefined && message.offset < next)) {
        dropped++;
        done();
        return;
      }
      positions.set(message.partition, message.offset + 1n);
      done(null, message);
    },
  });
  stream.on("error", (error) => messages.destroy(error));
  stream.pipe(messages);
  return {
    messages: messages as OwnedStream<Key, Value, HeaderKey, HeaderValue>["messages"],
    dropped: () => dropped,
    close: async () => {
      stream.unpipe(messages);
      messages.destroy();
      await stream.close();
    },
  };
}

/**
 * Leaves the group (its partitions move at once instead of after the session timeout) and closes the consumer. The
 * client's close() (2.12) leaves without ending its membership first, so a rejoin in flight (a rebalance started by
 * another member) completes after the close and schedules heartbeats on the closed client, which fail and reschedule
 * themselves every heartbeat interval for as long as the process lives. leaveGroup() ends the membership first.
 */
export async function leaveGroupAndClose<Key, Value, HeaderKey, HeaderValue>(
  consumer: Consumer<Key, Value, HeaderKey, HeaderValue>,
): Promise<void> {
  // The callback form: the promise overload is not the one TypeScript picks. A failure to leave is closed over below.
  await new Promise<void>((resolve) => {
    consumer.leaveGroup(false, () => resolve());
  });
  await consumer
    .close()
    .catch(() => consumer.close(true))
    .catch(() => {});
}
