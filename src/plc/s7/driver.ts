// PLC4X's `s7://` driver: a connection that reads and writes tags through planned, packed Read Var and Write Var jobs.
import type {
  BrowseItem,
  ConnectionMetadata,
  Driver,
  DriverConnection,
  DriverContext,
  DriverSubscription,
  ParsedTagWrite,
  ReadResponse,
  WriteResponse,
} from "../driver.ts";
import { ConnectionClosedError, ConnectionFailedError, UnsupportedOperationError } from "../errors.ts";
import { RequestCache } from "../request-cache.ts";
import type { ConnectionUrl } from "../url.ts";
import { parseS7Address, type S7Address } from "./address.ts";
import { openS7Transport } from "./handshake.ts";
import { encodeReadVarRequest } from "./messages/read-var.ts";
import { AREA, TRANSPORT_SIZE } from "./messages/var-item.ts";
import { LoneRanges } from "./optimizer.ts";
import { type PreparedRead, preparedFits, prepareRead, type ReadContext, readVersion, runRead } from "./read-run.ts";
import { parseS7Url, type S7Settings } from "./settings.ts";
import type { ExchangeFailure, LinkEnd, Negotiated, S7Transport } from "./transport.ts";
import { runWrites } from "./write-run.ts";

const METADATA: ConnectionMetadata = {
  protocol: "s7",
  canRead: true,
  canWrite: true,
  // S7comm's cyclic services and alarms are S7-300/400 only; the connection manager polls with read() instead.
  subscriptionModes: [],
  canBrowse: false,
};

/** The S7 driver; `fabrik/plc` registers one. */
export function createS7Driver(): Driver<S7Address> {
  return {
    name: "Siemens S7",
    protocols: ["s7"],
    transports: ["tcp"],
    parseAddress: parseS7Address,
    checkUrl: (url) => void parseS7Url(url),
    async connect(url: ConnectionUrl, context: DriverContext) {
      const settings = parseS7Url(url);
      const transport = await openS7Transport({
        host: settings.host,
        port: settings.port,
        target: url.redacted,
        localTsap: settings.localTsap,
        remoteTsap: settings.remoteTsap,
        pduSize: settings.pduSize,
        maxAmqCaller: settings.maxAmqCaller,
        maxAmqCallee: settings.maxAmqCallee,
        timeoutMs: settings.readTimeoutMs,
        ...(context.signal === undefined ? {} : { signal: context.signal }),
      });
      const { onLost } = context;
      if (onLost !== undefined) {
        void transport.ended.then((end) => {
          if (end.cause === "lost") onLost(end.error);
        });
      }
      return new S7Connection(url.redacted, settings, transport, context.clock);
    },
  };
}

/**
 * One S7 connection. Reads are planned once per tag set (see optimizer.ts) and their PDUs sent together, as many in
 * flight as Setup Communication allowed. What the PLC teaches is kept for the connection's life: items it only answers
 * apart, and an item limit lower than asked when it answers fewer items. When the link is lost, jobs in flight give
 * their tags REMOTE_ERROR or TIMEOUT, `ended` resolves, and every later call rejects with ConnectionFailedError: the
 * connection manager then opens a new connection.
 */
export class S7Connection implements DriverConnection<S7Address> {
  readonly metadata = METADATA;
  readonly #target: string;
  readonly #settings: S7Settings;
  readonly #transport: S7Transport;
  readonly #clock: () => number;
  readonly #lone = new LoneRanges();
  #maxItems: number;
  /** What reads teach the connection: ranges to read apart, and a lower item limit. */
  readonly #learning = {
    lone: this.#lone,
    lowerItemLimit: (answered: number) => {
      if (answered >= this.#maxItems) return;
      this.#maxItems = answered;
      this.#contextNow = undefined;
    },
  };
  #contextNow: ReadContext | undefined;
  readonly #plans = new RequestCache<ReadonlyMap<string, S7Address>, PreparedRead>({
    fits: (prepared, tags) => preparedFits(prepared, tags, readVersion(this.#context(), this.#lone)),
    make: (tags) => prepareRead(tags, this.#context(), this.#lone),
  });

  constructor(target: string, settings: S7Settings, transport: S7Transport, clock: () => number) {
    this.#target = target;
    this.#settings = settings;
    this.#transport = transport;
    this.#clock = clock;
    this.#maxItems = settings.maxItemsPerRequest;
    if (settings.pingIntervalMs !== undefined) transport.keepAlive(settings.pingIntervalMs, () => this.#probe());
  }

  /** What the PLC agreed to at Setup Communication. */
  get negotiated(): Negotiated {
    return this.#transport.negotiated;
  }

  /** Items per request now: the URL's limit, or less once the PLC answered fewer. */
  get maxItemsPerRequest(): number {
    return this.#maxItems;
  }

  /** Resolves when the link ends: `lost` with the reason, or `closed` after close(). Never rejects. */
  get ended(): Promise<LinkEnd> {
    return this.#transport.ended;
  }

  /** Jobs on the wire right now. */
  get inFlight(): number {
    return this.#transport.inFlight;
  }

  async read(tags: ReadonlyMap<string, S7Address>): Promise<ReadResponse> {
    this.#checkUp("read");
    return runRead(this.#transport, this.#plans.get(tags), this.#context(), this.#learning, this.#clock);
  }

  async write(tags: ReadonlyMap<string, ParsedTagWrite<S7Address>>): Promise<WriteResponse> {
    this.#checkUp("write");
    return runWrites(this.#transport, tags, this.#context());
  }

  async subscribe(): Promise<DriverSubscription> {
    throw new UnsupportedOperationError("subscribe", METADATA.protocol);
  }

  async browse(): Promise<readonly BrowseItem[]> {
    throw new UnsupportedOperationError("browse", METADATA.protocol);
  }

  /** Reads marker bit M0.0. Any answer will do, a refusal too: it proves the PLC is there and speaks S7comm. */
  async ping(): Promise<void> {
    this.#checkUp("ping");
    const failure = await this.#probe();
    if (failure !== undefined) throw new ConnectionFailedError(this.#target, `no answer to a ping: ${failure.message}`);
  }

  close(): Promise<void> {
    return this.#transport.close();
  }

  async #probe(): Promise<ExchangeFailure | undefined> {
    const answer = await this.#transport.send("read", (pduReference) =>
      encodeReadVarRequest({
        pduReference,
        items: [
          {
            transportSize: TRANSPORT_SIZE.BIT,
            count: 1,
            dbNumber: 0,
            area: AREA.MARKERS,
            byteAddress: 0,
            bitAddress: 0,
          },
        ],
      }),
    );
    return answer.kind === "failed" ? answer : undefined;
  }

  #context(): ReadContext {
    this.#contextNow ??= {
      pduLength: this.#transport.negotiated.pduLength,
      maxItemsPerRequest: this.#maxItems,
      controllerType: this.#settings.controllerType,
    };
    return this.#contextNow;
  }

  #checkUp(operation: string): void {
    const end = this.#transport.end;
    if (end === undefined) return;
    if (end.cause === "closed") throw new ConnectionClosedError(this.#target, operation);
    throw new ConnectionFailedError(this.#target, `connection lost (${end.reason})`, { cause: end.error });
  }
}
