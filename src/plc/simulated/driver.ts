// PLC4X's `simulated://` driver: RANDOM, STATE and STDOUT tags with no device behind them, for tests and demos.
import type {
  BrowseItem,
  ConnectionMetadata,
  Driver,
  DriverConnection,
  DriverContext,
  DriverSubscription,
  ParsedTagWrite,
  ReadResponse,
  SubscribeOptions,
  SubscriptionHandler,
  WriteResponse,
} from "../driver.ts";
import { InvalidUrlError, UnsupportedOperationError } from "../errors.ts";
import type { TagReading, TagWriteResult } from "../response.ts";
import type { ConnectionUrl } from "../url.ts";
import { coerceValue } from "../value-coercion.ts";
import type { PlcValue, ScalarValue } from "../values.ts";
import { formatSimulatedAddress, parseSimulatedAddress, type SimulatedAddress } from "./address.ts";
import { SimulatedMemory } from "./memory.ts";
import { randomValue, SeededRandom } from "./random.ts";

/** Where STDOUT tags print; one call per written tag, without a trailing newline. */
export type LineSink = (line: string) => void;

export interface SimulatedDriverOptions {
  /** Receives STDOUT writes; standard output by default. */
  readonly lineSink?: LineSink;
}

/** URL options the simulated driver knows. `seed` fixes the RANDOM sequence of a connection. */
export const SIMULATED_OPTIONS = ["seed"] as const;

const METADATA: ConnectionMetadata = {
  protocol: "simulated",
  canRead: true,
  canWrite: true,
  subscriptionModes: ["cyclic", "change-of-state"],
  canBrowse: false,
};

/** A simulated driver printing STDOUT writes to `lineSink`; `fabrik/plc` registers one that prints to stdout. */
export function createSimulatedDriver(options: SimulatedDriverOptions = {}): Driver<SimulatedAddress> {
  const lineSink = options.lineSink ?? ((line: string) => process.stdout.write(`${line}\n`));
  return {
    name: "Simulated",
    protocols: ["simulated"],
    transports: ["tcp"],
    parseAddress: parseSimulatedAddress,
    checkUrl: (url) => void parseSimulatedUrl(url),
    async connect(url: ConnectionUrl, context: DriverContext) {
      const { seed } = parseSimulatedUrl(url);
      const random = new SeededRandom(seed ?? crypto.getRandomValues(new Uint32Array(1))[0] ?? 0);
      return new SimulatedConnection(url.host, random, lineSink, context.clock);
    },
  };
}

class SimulatedConnection implements DriverConnection<SimulatedAddress> {
  readonly metadata = METADATA;
  readonly #device: string;
  readonly #random: SeededRandom;
  readonly #lineSink: LineSink;
  readonly #clock: () => number;
  readonly #memory = new SimulatedMemory();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(device: string, random: SeededRandom, lineSink: LineSink, clock: () => number) {
    this.#device = device;
    this.#random = random;
    this.#lineSink = lineSink;
    this.#clock = clock;
  }

  async read(tags: ReadonlyMap<string, SimulatedAddress>): Promise<ReadResponse> {
    return this.#sample(tags);
  }

  async write(tags: ReadonlyMap<string, ParsedTagWrite<SimulatedAddress>>): Promise<WriteResponse> {
    const out: Record<string, TagWriteResult> = {};
    for (const [alias, { address, value }] of tags) {
      const checked = coerceValue(address.spec, value);
      if (!checked.ok) {
        out[alias] = { code: "INVALID_DATA", message: checked.message };
        continue;
      }
      if (address.kind !== "RANDOM") this.#memory.write(address, checked.value);
      if (address.kind === "STDOUT")
        this.#lineSink(`${this.#device}: ${formatSimulatedAddress(address)} = ${formatValue(checked.value)}`);
      out[alias] = { code: "OK" };
    }
    return out;
  }

  async subscribe(
    tags: ReadonlyMap<string, SimulatedAddress>,
    handler: SubscriptionHandler,
    options: SubscribeOptions,
  ): Promise<DriverSubscription> {
    // The wrapper only passes modes from METADATA, so `event` never arrives here.
    if (options.mode === "event") throw new UnsupportedOperationError("subscribe", "simulated", "mode 'event'");
    const onlyChanges = options.mode === "change-of-state";
    const last = new Map<string, string>();
    const timer = setInterval(() => {
      const readings = this.#sample(tags);
      if (!onlyChanges) {
        handler(readings);
        return;
      }
      const changed: Record<string, TagReading> = {};
      for (const [alias, reading] of Object.entries(readings)) {
        const text = reading.code === "OK" ? formatValue(reading.value) : reading.code;
        if (last.get(alias) !== text) changed[alias] = reading;
        last.set(alias, text);
      }
      if (Object.keys(changed).length > 0) handler(changed);
    }, options.intervalMs);
    this.#timers.add(timer);
    return {
      unsubscribe: async () => {
        clearInterval(timer);
        this.#timers.delete(timer);
      },
    };
  }

  async browse(): Promise<readonly BrowseItem[]> {
    throw new UnsupportedOperationError("browse", "simulated");
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
    this.#memory.clear();
  }

  #sample(tags: ReadonlyMap<string, SimulatedAddress>): Record<string, TagReading> {
    const sampledAt = this.#clock();
    const out: Record<string, TagReading> = {};
    for (const [alias, address] of tags) {
      const value = address.kind === "RANDOM" ? randomValue(address.spec, this.#random) : this.#memory.read(address);
      out[alias] = { code: "OK", value, quality: "GOOD", sampledAt };
    }
    return out;
  }
}

/** Values as a person reads them in a log line: strings quoted, durations with their unit, dates in ISO-8601. */
function formatValue(value: PlcValue): string {
  if (isList(value)) return `[${value.map((element) => formatValue(element)).join(", ")}]`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return "ms" in value ? `${value.ms}ms` : `${value.ns}ns`;
  return String(value);
}

function isList(value: PlcValue): value is readonly ScalarValue[] {
  return Array.isArray(value);
}

/** Reads `simulated://name[?seed=n]`; throws InvalidUrlError, InvalidOptionError or UnknownOptionError. */
function parseSimulatedUrl(url: ConnectionUrl): { readonly seed: number | undefined } {
  if (url.host === "") {
    throw new InvalidUrlError(url.redacted, url.columns.host, "no device name", "a name, e.g. simulated://demo");
  }
  if (url.path !== "") {
    throw new InvalidUrlError(
      url.redacted,
      url.columns.path ?? 1,
      `path '${url.path}'`,
      "no path after the device name",
    );
  }
  const seed = url.options.integer("seed", { min: 0, max: 0xffffffff });
  url.options.rejectUnknown(SIMULATED_OPTIONS);
  return { seed };
}
