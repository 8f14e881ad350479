// Fabrik's Kafka layer (`fabrik/kafka`): clients from one config, and a local Apache Kafka broker for development.
export {
  type Admin,
  type Consumer,
  type Message,
  type MessagesStream,
  ProduceAcks,
  type Producer,
  stringDeserializers,
  stringSerializers,
} from "@platformatic/kafka";
export {
  answersMetadata,
  type BrokerOptions,
  type BrokerState,
  defaultBrokerDir,
  logTail,
  type RunningBroker,
  runningBroker,
  type SaslSslListener,
  type ScramMechanism,
  type ScramUser,
  startBroker,
  stopRunningBroker,
} from "./broker.ts";
export {
  createAdmin,
  createConsumer,
  createProducer,
  type KafkaConfig,
  kafkaConfigFromEnv,
  parseHostPort,
  type SaslMechanism,
  type TlsConfig,
  validate,
} from "./client.ts";
export {
  CommittedReadError,
  type CommittedReadStats,
  type CommittedRecord,
  readCommitted,
} from "./committed-read.ts";
export { consumeOwned, leaveGroupAndClose, type OwnedStream } from "./consume.ts";
export { cacheDir, findJava, KAFKA_VERSION, type KafkaDistribution, resolveKafka } from "./distribution.ts";
export { explainKafkaError, isRecordTooLarge, KafkaError, type KafkaErrorCode } from "./errors.ts";
export { isProcessRunning } from "./jvm-process.ts";
export { type UsedKafka, type UseKafkaOptions, useKafka } from "./local.ts";
export { defaultPartition, partitionHash } from "./partitioner.ts";
export { MAX_TOPIC_NAME_LENGTH, topicNameProblem } from "./topic-names.ts";
export { ensureTopics, type TopicSpec } from "./topics.ts";
export { type AbortedTransaction, committedBatches } from "./transaction-filter.ts";
