// Sends a sink's dead letters: idempotent, acks=all, retried until Kafka has them, since the record's offset waits on it.
import { createProducer, ensureTopics, type KafkaConfig, type Producer } from "../../kafka/index.ts";
import type { Backoff, Schedule } from "../../plc/index.ts";
import { type ConsumedRecord, type DeadLetterContext, type DeadLetterRecord, deadLetterRecord } from "./dead-letter.ts";
import type { SinkError } from "./errors.ts";
import { StoppableWaits } from "./stoppable-waits.ts";

export interface DeadLetterQueueOptions extends DeadLetterContext {
  readonly kafka: KafkaConfig;
  readonly clientId: string;
  readonly schedule: Schedule;
  /** Delays between failed sends. */
  readonly backoff: Backoff;
  /**
   * Checking or creating the topic failed (`what` says which; the send is tried all the same), or a send failed (it is
   * retried). Called every time: the caller rate-limits.
   */
  readonly onError: (error: unknown, what: "topic" | "send") => void;
}

export class DeadLetterQueue {
  readonly #options: DeadLetterQueueOptions;
  readonly #producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  readonly #waits: StoppableWaits;
  #topicChecked = false;

  constructor(options: DeadLetterQueueOptions) {
    this.#options = options;
    this.#waits = new StoppableWaits(options.schedule);
    this.#producer = createProducer<Buffer, Buffer, Buffer, Buffer>(options.kafka, { clientId: options.clientId });
  }

  get topic(): string {
    return this.#options.topic;
  }

  /**
   * Resolves true once Kafka has acknowledged the dead letter of `record`, false when abandoned first (at once, even
   * while Kafka does not answer). Failures are retried with backoff for as long as it takes: the sink commits the
   * record only after this, so it waits rather than lose the record.
   */
  async send(record: ConsumedRecord, error: SinkError): Promise<boolean> {
    const letter = deadLetterRecord(record, error, this.#options);
    const { backoff } = this.#options;
    backoff.reset();
    while (!this.#waits.stopped) {
      try {
        if ((await this.#waits.until(this.#sendOnce(letter))) === true) return true;
      } catch (sendError) {
        if (this.#waits.stopped) break;
        this.#options.onError(sendError, "send");
        await this.#waits.wait(backoff.next());
      }
    }
    return false;
  }

  /** Ends a send in progress (and its retries) with false. */
  abandon(): void {
    this.#waits.stop();
  }

  async close(): Promise<void> {
    this.abandon();
    await this.#producer.close();
  }

  async #sendOnce(letter: DeadLetterRecord): Promise<true> {
    await this.#ensureTopic().catch((topicError: unknown) => this.#options.onError(topicError, "topic"));
    await this.#producer.send({
      messages: [
        {
          topic: letter.topic,
          key: letter.key,
          value: letter.value,
          headers: letter.headers,
          ...(letter.timestamp === undefined ? {} : { timestamp: letter.timestamp }),
        },
      ],
    });
    this.#topicChecked = true;
    return true;
  }

  /**
   * Creates the topic with one partition when it is missing, as Kafka Connect does for its dead letter queue; until a
   * check or a send succeeds. Another worker may create it meanwhile, so a failed create is checked against the topic
   * list again. A principal allowed to produce but not to list topics gets an error here and its sends still go out.
   */
  async #ensureTopic(): Promise<void> {
    if (this.#topicChecked) return;
    await ensureTopics(this.#options.kafka, [{ name: this.#options.topic }], `${this.#options.clientId}-admin`);
    this.#topicChecked = true;
  }
}
