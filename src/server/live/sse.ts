// A Server-Sent Events response as a LiveClient: text written as it comes, and an end that says why.
import type { ServerResponse } from "node:http";
import type { LiveClient } from "./hub.ts";

/** How long a dropped stream may take to flush its last bytes before its connection is cut. */
const DROP_GRACE_MS = 5_000;
/** What EventSource waits before reconnecting (its default is about 3 s). */
const RETRY_MS = 1_000;

/**
 * Starts the event stream on `response` (taken over from the framework) and returns it as a LiveClient. `onClose`
 * runs once when the connection ends, whoever ends it.
 */
export function openEventStream(response: ServerResponse, onClose: () => void): LiveClient {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    // The stream is the connection's only response: closing the server ends it without waiting for idle sockets.
    connection: "close",
    // Proxies such as nginx would otherwise hold events back to fill their buffers.
    "x-accel-buffering": "no",
  });
  response.write(`retry: ${RETRY_MS}\n\n`);
  let open = true;
  let grace: NodeJS.Timeout | undefined;
  response.once("close", () => {
    open = false;
    if (grace !== undefined) clearTimeout(grace);
    onClose();
  });
  return {
    send(text) {
      if (open) response.write(text);
    },
    backlog: () => response.writableLength,
    drop(reason) {
      if (!open) return;
      open = false;
      response.end(`: dropped: ${reason.replaceAll("\n", " ")}\n\n`);
      // A browser that reads nothing would keep the socket and its unsent bytes for ever.
      grace = setTimeout(() => response.destroy(), DROP_GRACE_MS);
      grace.unref();
    },
  };
}
