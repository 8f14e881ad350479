// Group consumption that delivers only records of partitions this member owns at the moment they are delivered.
import { Transform } from "node:stream";
import type { ConsumeOptions, Consumer, Message, MessagesStream } from "@platformatic/kafka";

export interface OwnedStream<Key, Value, HeaderKey, HeaderValue> {
  /** The records, in order per partition; async-iterable and a Readable ('data' events). */
  readonly messages: Transform & AsyncIterable<Message<Key, Value, HeaderKey, HeaderValue>>;
  /** How many fetched records were dropped because their partition had moved to another member. */
  readonly dropped: () => number;
  close(): Promise<void>;
}

/**
 * Like `consumer.consume()`, but a record fetched before a rebalance for a partition this member has since lost is
 * dropped instead of delivered: the partition's new owner reads it from the committed offset, so delivering it here
 * too would process it twice (the client library answers an in-flight fetch with such records).
 */
export async function consumeOwned<Key, Value, HeaderKey, HeaderValue>(
  consumer: Consumer<Key, Value, HeaderKey, HeaderValue>,
  options: ConsumeOptions<Key, Value, HeaderKey, HeaderValue>,
): Promise<OwnedStream<Key, Value, HeaderKey, HeaderValue>> {
  const stream: MessagesStream<Key, Value, HeaderKey, HeaderValue> = await consumer.consume(options);
  let dropped = 0;
  // The assignment changes only on a rebalance, and the client then replaces the array (it never edits it in place):
  // index it once per assignment, not once per record.
  let indexed: typeof consumer.assignments | undefined;
  let owned = new Map<string, Set<number>>();
  const owns = (topic: string, partition: number) => {
    if (consumer.assignments !== indexed) {
      indexed = consumer.assignments;
      owned = new Map((indexed ?? []).map((a) => [a.topic, new Set(a.partitions)]));
    }
    return owned.get(topic)?.has(partition) ?? false;
  };
  // A synchronous transform: Readable.filter() would cost a promise per record (a quarter of the throughput).
  const messages = new Transform({
    objectMode: true,
    highWaterMark: 1024,
    transform(message: Message<Key, Value, HeaderKey, HeaderValue>, _encoding, done) {
      if (owns(message.topic, message.partition)) done(null, message);
      else {
        dropped++;
        done();
      }
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
