// A scripted device for connection manager tests: it can refuse connections, drop them, hang, and come back.
import type {
  ConnectionMetadata,
  Driver,
  DriverConnection,
  DriverContext,
  ReadResponse,
  SubscriptionHandler,
  SubscriptionMode,
  WriteResponse,
} from "../../src/plc/driver.ts";
import { ConnectionFailedError, InvalidAddressError } from "../../src/plc/errors.ts";
import type { ErrorCode, TagReading } from "../../src/plc/response.ts";
import type { ConnectionUrl } from "../../src/plc/url.ts";

export interface FakeAddress {
  readonly register: number;
}

/** How the device answers reads: values, a per-tag error code, a rejection, or never. */
export type ReadBehaviour =
  | { readonly kind: "values" }
  | { readonly kind: "code"; readonly code: ErrorCode }
  | { readonly kind: "reject"; readonly error: Error }
  | { readonly kind: "hang" };

/** How the device answers connects. */
export type ConnectBehaviour = "accept" | "refuse" | "hang";

interface FakeSubscription {
  readonly tags: ReadonlyMap<string, FakeAddress>;
  readonly handler: SubscriptionHandler;
  active: boolean;
}

/** One connection the device accepted. */
export class FakeLink {
  readonly context: DriverContext;
  readonly url: ConnectionUrl;
  alive = true;
  closed = false;
  readonly subscriptions: FakeSubscription[] = [];

  constructor(url: ConnectionUrl, context: DriverContext) {
    this.url = url;
    this.context = context;
  }
}

export class FakeDevice {
  connect: ConnectBehaviour = "accept";
  read: ReadBehaviour = { kind: "values" };
  /** Writes never get an answer. */
  writeHangs = false;
  /** Whether the driver tells the manager about a drop (DriverContext.onLost) or leaves it to find out. */
  signalsLoss = true;
  subscriptionModes: readonly SubscriptionMode[] = ["cyclic", "event"];
  /** Register values; a register not set reads as ten times its number. */
  readonly values = new Map<number, number>();
  readonly links: FakeLink[] = [];
  connectAttempts = 0;
  reads = 0;
  writes = 0;
  subscribes = 0;
  readonly driver: Driver<FakeAddress>;

  constructor(protocols: readonly string[] = ["fake"]) {
    this.driver = {
      name: "Fake device",
      protocols,
      transports: ["tcp"],
      parseAddress: parseFakeAddress,
      checkUrl: () => {},
      connect: (url, context) => this.#connect(url, context),
    };
  }

  /** Links open right now (accepted, not dropped, not closed). */
  get openLinks(): FakeLink[] {
    return this.links.filter((link) => link.alive && !link.closed);
  }

  /** Subscriptions running on open links. */
  get activeSubscriptions(): number {
    return this.openLinks.flatMap((link) => link.subscriptions).filter((s) => s.active).length;
  }

  /** The device goes away: open links die; later connects are refused until `comeBack`. */
  goAway(reason = "cable unplugged"): void {
    this.connect = "refuse";
    for (const link of this.openLinks) {
      link.alive = false;
      if (this.signalsLoss) link.context.onLost?.(new ConnectionFailedError(link.url.redacted, reason));
    }
  }

  comeBack(): void {
    this.connect = "accept";
  }

  /** Sends one event with `value` for every alias of every subscription on open links. */
  emit(value: number, sampledAt = 1): void {
    for (const link of this.openLinks) {
      for (const subscription of link.subscriptions) {
        if (!subscription.active) continue;
        const readings: Record<string, TagReading> = {};
        for (const alias of subscription.tags.keys())
          readings[alias] = { code: "OK", value, quality: "GOOD", sampledAt };
        subscription.handler(readings);
      }
    }
  }

  /** Sends one event in which every alias failed with `code`. */
  emitFailure(code: ErrorCode, sampledAt = 1): void {
    for (const link of this.openLinks) {
      for (const subscription of link.subscriptions) {
        if (!subscription.active) continue;
        const readings: Record<string, TagReading> = {};
        for (const alias of subscription.tags.keys()) {
          readings[alias] = { code, quality: "BAD", sampledAt, message: `device says ${code}` };
        }
        subscription.handler(readings);
      }
    }
  }

  async #connect(url: ConnectionUrl, context: DriverContext): Promise<DriverConnection<FakeAddress>> {
    this.connectAttempts++;
    url.options.rejectUnknown(["request-timeout", "unit", "password"]);
    if (this.connect === "refuse") throw new ConnectionFailedError(url.redacted, "connection refused");
    if (this.connect === "hang") return new Promise(() => {});
    const link = new FakeLink(url, context);
    this.links.push(link);
    return this.#connection(link);
  }

  #connection(link: FakeLink): DriverConnection<FakeAddress> {
    const metadata: ConnectionMetadata = {
      protocol: "fake",
      canRead: true,
      canWrite: true,
      subscriptionModes: this.subscriptionModes,
      canBrowse: true,
    };
    const checkAlive = () => {
      if (!link.alive) throw new ConnectionFailedError(link.url.redacted, "connection reset by peer");
    };
    return {
      metadata,
      read: async (tags) => {
        checkAlive();
        this.reads++;
        return this.#answer(tags);
      },
      write: async (tags) => {
        checkAlive();
        this.writes++;
        if (this.writeHangs) await new Promise(() => {});
        const out: Record<string, WriteResponse[string]> = {};
        for (const [alias, { address, value }] of tags) {
          this.values.set(address.register, Number(value));
          out[alias] = { code: "OK" };
        }
        return out;
      },
      subscribe: async (tags, handler) => {
        checkAlive();
        this.subscribes++;
        const subscription: FakeSubscription = { tags, handler, active: true };
        link.subscriptions.push(subscription);
        return {
          unsubscribe: async () => {
            subscription.active = false;
          },
        };
      },
      browse: async () => {
        checkAlive();
        return [];
      },
      ping: async () => {
        checkAlive();
        if (this.read.kind === "hang") await new Promise(() => {});
      },
      close: async () => {
        link.closed = true;
        for (const subscription of link.subscriptions) subscription.active = false;
      },
    };
  }

  #answer(tags: ReadonlyMap<string, FakeAddress>): Promise<ReadResponse> | ReadResponse {
    const behaviour = this.read;
    if (behaviour.kind === "hang") return new Promise(() => {});
    if (behaviour.kind === "reject") throw behaviour.error;
    const out: Record<string, TagReading> = {};
    for (const [alias, address] of tags) {
      out[alias] =
        behaviour.kind === "code"
          ? { code: behaviour.code, quality: "BAD", sampledAt: 1, message: `device says ${behaviour.code}` }
          : {
              code: "OK",
              value: this.values.get(address.register) ?? address.register * 10,
              quality: "GOOD",
              sampledAt: 1,
            };
    }
    return out;
  }
}

export function parseFakeAddress(address: string): FakeAddress {
  const match = /^R([0-9]+)$/.exec(address);
  if (match === null) throw new InvalidAddressError(address, 1, `'${address[0] ?? ""}'`, "R and a number");
  return { register: Number(match[1]) };
}
