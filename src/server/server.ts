// Starts the Fabrik server: loopback by default, never on another address without authentication.
import type { Socket } from "node:net";
import { assertSafeBind, urlHost } from "../http/index.ts";
import { buildFabrikApp, type FabrikAppOptions } from "./app.ts";

export interface FabrikServerOptions extends FabrikAppOptions {
  /** Default 127.0.0.1. Any other than a loopback address needs `auth`. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
}

export interface FabrikServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Ends the live feed's streams and every streaming query, then closes every connection. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;

/**
 * Listens and serves the UI and its APIs. Refuses a non-loopback address without `auth`: the API runs any SQL
 * statement and creates connectors, and a connector can write to machines.
 */
export async function startFabrikServer(options: FabrikServerOptions): Promise<FabrikServer> {
  const host = options.host ?? "127.0.0.1";
  assertSafeBind(
    host,
    options.auth,
    "Fabrik server",
    "run SQL statements and create connectors that write to machines",
  );
  const app = await buildFabrikApp(options);
  const sockets = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  // Registered last, so that it runs after every other pre-close step: streams have ended and written their last
  // bytes into their sockets, which are then closed once those are flushed, keep-alive ones included.
  await app.register(async (last) => {
    last.addHook("preClose", async () => {
      for (const socket of sockets) socket.destroySoon();
    });
  });
  await app.listen({ host, port: options.port ?? DEFAULT_PORT });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? DEFAULT_PORT);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    close: () => {
      closing ??= app.close();
      return closing;
    },
  };
}
