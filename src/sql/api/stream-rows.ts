// Writes a running query to a streaming HTTP response: each row flushed as it comes, paced by the client, closed with it.
import type { Writable } from "node:stream";
import type { QueryStream } from "../engine/entities.ts";
import { type ShapedError, shapeError } from "./errors.ts";
import type { RowFraming } from "./framing.ts";

/** How a stream ended: the rows ran out, the query failed, or the client went away (or the server closed it). */
export type StreamOutcome = "ended" | "failed" | "left";

/**
 * Resolves when `out` can take more (`drain`) or never will (`close`). Waiting here is the back-pressure: no row is
 * pulled from the query while the socket's buffer is full, so a slow client slows the query instead of filling memory.
 */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.on("drain", done);
    out.on("close", done);
  });
}

/**
 * Sends `query` through `framing` on `out` (an HTTP/1.1 or HTTP/2 response whose head is written) and ends it. A
 * client that disconnects closes the query at once, even while it waits for its next row. `onFailure` hears how a
 * failure after the header was reported, so that a bug can be logged; the client sees ksqlDB's error shape only.
 */
export async function streamRows(
  query: QueryStream,
  framing: RowFraming,
  out: Writable,
  onFailure: (error: unknown, shaped: ShapedError) => void,
): Promise<StreamOutcome> {
  let left = out.destroyed;
  const leave = () => {
    left = true;
    query.close();
  };
  out.on("close", leave);
  // A reset connection surfaces as `close`; its error event must not crash the server.
  const ignore = () => {};
  out.on("error", ignore);
  try {
    if (left) return "left";
    if (!out.write(framing.header(query))) await drained(out);
    for await (const row of query.rows) {
      if (left) break;
      if (!out.write(framing.row(row))) await drained(out);
      if (left) break;
    }
    if (left) return "left";
    out.end(framing.end(query));
    return "ended";
  } catch (error) {
    if (left) return "left";
    const shaped = shapeError(error);
    onFailure(error, shaped);
    out.end(framing.error(shaped.body));
    return "failed";
  } finally {
    out.off("close", leave);
    out.off("error", ignore);
    // Idempotent for the engine: a query that ended on its own is closed already.
    query.close();
  }
}
