// The rows of a running query (push, PRINT) for the REST layer: ends once, closes once, fails with ksqlDB's error.

import { type JsonValue, KsqlRequestError, type QueryStream } from "../entities.ts";
import { EngineError } from "../errors.ts";

export interface RelayOptions<T> {
  readonly queryId: string;
  /** What the query produces; iterated once, and ended early (`return`) at the LIMIT or on close. */
  readonly source: AsyncIterable<T>;
  /** Releases the query's Kafka client; called once, whichever way the rows end. */
  readonly release: () => Promise<void>;
  /** The client's row for one item, or undefined to leave the item out (a push query's tombstone). */
  readonly toRow: (item: T) => readonly JsonValue[] | undefined;
  /** The most rows to deliver; rows left out do not count. Default: no limit. */
  readonly limit?: number;
  /** Called once when the rows end for any reason: LIMIT, close(), or a failure. */
  readonly onEnd?: () => void;
}

/**
 * The `rows` and `close` of a QueryStream over `source`. A failure of the query's Kafka side (EngineError: a topic
 * deleted, the broker gone) ends the iteration with a KsqlRequestError, which the REST layer writes as ksqlDB's error
 * message; anything else is a bug and is rethrown as it is, for the server's log. After close() the iteration ends
 * quietly, whatever the closing did to the Kafka client.
 */
export function relayRows<T>(options: RelayOptions<T>): Pick<QueryStream, "rows" | "close"> {
  let closed = false;
  let ended = false;
  let released: Promise<void> | undefined;
  const release = (): Promise<void> => {
    released ??= options.release().catch(() => {});
    return released;
  };
  const end = () => {
    if (ended) return;
    ended = true;
    options.onEnd?.();
  };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;

  async function* rows(): AsyncGenerator<readonly JsonValue[]> {
    let delivered = 0;
    try {
      if (closed || delivered >= limit) return;
      for await (const item of options.source) {
        if (closed) return;
        const row = options.toRow(item);
        if (row === undefined) continue;
        yield row;
        if (++delivered >= limit) return;
      }
    } catch (error) {
      if (closed) return;
      throw queryFailure(options.queryId, error);
    } finally {
      await release();
      end();
    }
  }

  return {
    rows: rows(),
    close() {
      if (closed) return;
      closed = true;
      void release();
      end();
    },
  };
}

/** A running query's failure in ksqlDB's words; errors that are not Kafka's (bugs) stay as they are. */
function queryFailure(queryId: string, error: unknown): unknown {
  if (error instanceof KsqlRequestError || !(error instanceof EngineError)) return error;
  return new KsqlRequestError(
    500,
    { "@type": "generic_error", error_code: 50000, message: `query ${queryId} stopped: ${error.message}` },
    error,
  );
}
