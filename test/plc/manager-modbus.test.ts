// Tests a real outage: Fabrik's Modbus TCP driver through the manager against jsmodbus' server stopped and restarted.
import assert from "node:assert/strict";
import { once } from "node:events";
import { type AddressInfo, Server, type Socket } from "node:net";
import { describe, it } from "node:test";
import Modbus from "jsmodbus";
import type { HealthEvent, HealthState } from "../../src/plc/health.ts";
import { drivers } from "../../src/plc/index.ts";
import { ConnectionManager, type ManagedConnection } from "../../src/plc/manager.ts";
import { SeededRandom } from "../../src/plc/simulated/random.ts";

/** jsmodbus' TCP server on 127.0.0.1 holding `holding`; `stop` also cuts the connections it has open. */
class Peer {
  readonly holding = Buffer.alloc(200);
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    const server = new Server();
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    new Modbus.server.TCP(server, { holding: this.holding });
    server.listen(this.port, "127.0.0.1");
    await once(server, "listening");
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function whenState(handle: ManagedConnection, state: HealthState): Promise<HealthEvent> {
  return new Promise((resolve) => {
    const stop = handle.onHealth((event) => {
      if (event.to !== state) return;
      stop();
      resolve(event);
    });
  });
}

describe("the manager over Modbus TCP", () => {
  it("fails fast while the server is gone and reads again once it is back on the same port", async () => {
    const peer = new Peer();
    await peer.start();
    peer.holding.writeUInt16BE(1234, 0);
    const random = new SeededRandom(3);
    const manager = new ConnectionManager({
      registry: drivers,
      random: () => random.float(),
      backoff: { baseMs: 5, factor: 2, capMs: 40 },
    });
    try {
      const handle = await manager.acquire(`modbus-tcp://127.0.0.1:${peer.port}?request-timeout=1000`);
      const tags = { level: "holding-register:1:UINT" };
      const before = await handle.read(tags);
      assert.equal(before.level?.code === "OK" ? before.level.value : before.level?.message, 1234);

      await peer.stop();
      // The driver may still send one request on the dying socket; that one fails for the tag, the next is refused
      // by the driver as lost, which the manager turns into `disconnected`.
      for (let i = 0; i < 3 && handle.health.state !== "disconnected"; i++) {
        const during = await handle.read(tags);
        assert.equal(during.level?.quality, "BAD");
      }
      assert.ok(["disconnected", "connecting"].includes(handle.health.state), handle.health.state);
      const down = await handle.read(tags);
      assert.deepEqual(down.level?.code === "OK" ? undefined : [down.level?.code, down.level?.quality], [
        "REMOTE_ERROR",
        "BAD",
      ]);
      assert.match(down.level?.code === "OK" ? "" : (down.level?.message ?? ""), /is disconnected since/);

      const back = whenState(handle, "connected");
      peer.holding.writeUInt16BE(4321, 0);
      await peer.start();
      const event = await back;
      assert.match(event.reason, /^reconnected after [0-9]+ failures$/);
      const after = await handle.read(tags);
      assert.equal(after.level?.code === "OK" ? after.level.value : after.level?.message, 4321);
    } finally {
      await manager.close();
      await peer.stop();
    }
  });
});
