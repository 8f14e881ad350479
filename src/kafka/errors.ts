// Errors of the Kafka layer: each says what is wrong and how to fix it, and carries the broker's log tail when there is one.
import { findErrorBy } from "@platformatic/kafka";

export type KafkaErrorCode =
  | "JAVA_MISSING"
  | "JAVA_TOO_OLD"
  | "MAVEN_MISSING"
  | "FETCH_FAILED"
  | "KAFKA_HOME_INVALID"
  | "PORT_TAKEN"
  | "BROKER_FAILED"
  | "BROKER_TIMEOUT"
  | "BROKER_NOT_RUNNING"
  | "INVALID_KAFKA_CONFIG"
  | "TOPIC_CREATION_FAILED";

export class KafkaError extends Error {
  readonly code: KafkaErrorCode;
  /** What to do about it, for people. */
  readonly hint: string | undefined;
  /** The last lines of the broker's log, when the broker was involved. */
  readonly logTail: string | undefined;

  constructor(
    code: KafkaErrorCode,
    message: string,
    details: { hint?: string; logTail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = "KafkaError";
    this.code = code;
    this.hint = details.hint;
    this.logTail = details.logTail;
  }

  /** The message, the hint and the log tail, as printed by the CLI. */
  describe(): string {
    let text = this.message;
    if (this.hint) text += `\n  how to fix: ${this.hint}`;
    if (this.logTail) text += `\n  last lines of the broker log:\n${indent(this.logTail, "    ")}`;
    return text;
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

/**
 * One line that says why a Kafka client call failed. The client nests the reason that matters (bad credentials, an
 * untrusted certificate, a refused connection) several causes and aggregates deep under a generic "Cannot connect to
 * any broker"; this walks them all and joins each distinct message, the broker's own words included.
 */
export function explainKafkaError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown) => {
    if (e === null || e === undefined || seen.has(e)) return;
    seen.add(e);
    if (!(e instanceof Error)) {
      parts.push(String(e));
      return;
    }
    const server = (e as { serverErrorMessage?: unknown }).serverErrorMessage;
    for (const text of [e.message, typeof server === "string" ? server : ""]) {
      const clean = text.trim().replace(/\.$/, "");
      if (clean && !parts.includes(clean)) parts.push(clean);
    }
    visit(e.cause);
    if (e instanceof AggregateError) for (const inner of e.errors) visit(inner);
  };
  visit(error);
  return parts.join(": ");
}

/**
 * True when the broker refused a produce request because a record (or a batch) is larger than the topic's
 * `max.message.bytes`: sending the same bytes again can never succeed.
 */
export function isRecordTooLarge(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    findErrorBy(error, "apiId", "MESSAGE_TOO_LARGE") !== null ||
    findErrorBy(error, "apiId", "RECORD_LIST_TOO_LARGE") !== null
  );
}
