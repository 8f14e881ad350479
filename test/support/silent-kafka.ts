// A "broker" that takes connections and never answers: Kafka as a client sees it when the broker hangs or the network
// drops everything. Tests use it to check that stopping never waits for an answer.
import { createServer, type Socket } from "node:net";
import type { TestContext } from "node:test";
import type { KafkaConfig } from "../../src/kafka/index.ts";

export interface SilentKafka {
  readonly kafka: KafkaConfig;
  /** Connections taken so far. */
  readonly connections: () => number;
  /** Resolves once a client sent a request (and waits for an answer that never comes). */
  readonly asked: Promise<void>;
}

/** Listens on a free loopback port until the test ends. */
export async function silentKafka(t: TestContext): Promise<SilentKafka> {
  const sockets: Socket[] = [];
  let onRequest: () => void = () => {};
  const asked = new Promise<void>((resolve) => {
    onRequest = resolve;
  });
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    socket.once("data", () => onRequest());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { kafka: { bootstrapServers: [`127.0.0.1:${port}`] }, connections: () => sockets.length, asked };
}
