// Group consumption that delivers only records of partitions this member owns at the moment they are delivered.
import type { Readable } from "node:stream";
import type { ConsumeOptions, Consumer, Message, MessagesStream } from "@platformatic/kafka";

export interface OwnedStream<Key, Value, HeaderKey, HeaderValue> {
  /** The records, in order per partition; async-iterable and a Readable ('data' events). */
  readonly messages: Readable & AsyncIterable<Message<Key, Value, HeaderKey, HeaderValue>>;
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
  const owns = (topic: string, partition: number) =>
    consumer.assignments?.some((a) => a.topic === topic && a.partitions.includes(partition)) ?? false;
  const messages = stream.filter((message: Message<Key, Value, HeaderKey, HeaderValue>) => {
    if (owns(message.topic, message.partition)) return true;
    dropped++;
    return false;
  }) as OwnedStream<Key, Value, HeaderKey, HeaderValue>["messages"];
  return {
    messages,
    dropped: () => dropped,
    close: async () => {
      messages.destroy();
      await stream.close();
    },
  };
}
