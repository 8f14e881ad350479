// Typed errors of the engine's Kafka side: missing topics, conflicting topics, unreadable commands, Kafka failures.

export type EngineErrorCode =
  /** A topic the engine reads (a source, a table, PRINT's topic) does not exist. */
  | "SQL_TOPIC_MISSING"
  /** A sink topic exists with another partition count or replication factor than the statement asks for. */
  | "SQL_TOPIC_CONFLICT"
  /** Kafka refused or did not answer a request; the message says which and why. */
  | "SQL_KAFKA"
  /** A record of the command topic is not a command this version understands. */
  | "SQL_COMMAND_INVALID"
  /** The command log was closed before the command was read back. */
  | "SQL_COMMAND_LOG_CLOSED";

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  /** The topic concerned, when there is one. */
  readonly topic: string | undefined;

  constructor(code: EngineErrorCode, message: string, details: { topic?: string; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.name = "EngineError";
    this.code = code;
    this.topic = details.topic;
  }
}

/** The error for a topic that is not there, in the words ksqlDB uses for it. */
export function topicMissing(topic: string, role = "topic", cause?: unknown): EngineError {
  return new EngineError("SQL_TOPIC_MISSING", `${role} ${topic} does not exist`, { topic, cause });
}
