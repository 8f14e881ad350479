// Typed errors of connector sources: each says what went wrong and where, under a stable code.
import { explainKafkaError } from "../../kafka/index.ts";

export type SourceErrorCode = "SOURCE_FENCED";

export abstract class SourceError extends Error {
  abstract readonly code: SourceErrorCode;
}

/**
 * Another owner initialised this source's transactional id, so Kafka refuses this runner's transactions: it lost the
 * source (a worker group moved it elsewhere, or this process was taken for dead). Retrying cannot succeed; the runner
 * stops sending and its unsent records stay in its buffer.
 */
export class SourceFencedError extends SourceError {
  override readonly code = "SOURCE_FENCED";
  readonly transactionalId: string;

  constructor(connector: string, source: string, transactionalId: string, cause: unknown) {
    super(
      `${connector}/${source}: another owner took transactional id ${transactionalId}, which fences this runner ` +
        `(${explainKafkaError(cause)})`,
      { cause },
    );
    this.name = "SourceFencedError";
    this.transactionalId = transactionalId;
  }
}
