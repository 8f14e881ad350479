// PLC4X's `s7://` connection URL: rack/slot or TSAPs, PDU size, parallel jobs, controller type, timeouts → S7Settings.
import { InvalidOptionError, InvalidUrlError } from "../errors.ts";
import type { ConnectionUrl } from "../url.ts";
import type { UrlOption, UrlOptions } from "../url-options.ts";
import { CONTROLLER_TYPES, type ControllerType } from "./data-types.ts";
import { hexWord } from "./errors.ts";
import { MAX_VAR_ITEMS } from "./messages/read-var.ts";

/** The URL options the driver knows: PLC4X's names, plus `max-items-per-request`. */
export const S7_OPTIONS = [
  "local-rack",
  "local-slot",
  "local-tsap",
  "remote-rack",
  "remote-slot",
  "remote-tsap",
  "pdu-size",
  "max-amq-caller",
  "max-amq-callee",
  "controller-type",
  "read-timeout",
  "ping",
  "ping-time",
  "retry-time",
  "max-items-per-request",
] as const;

/** ISO-on-TCP's port. */
export const DEFAULT_S7_PORT = 102;
/** PLC4X's defaults: the largest PDU S7-1500s grant is 960, others less; asking more costs nothing. */
const DEFAULT_PDU_SIZE = 1024;
/** LOGO! devices only work with small PDUs; PLC4X lowers its default for them the same way. */
const LOGO_PDU_SIZE = 480;
const DEFAULT_AMQ = 8;
const DEFAULT_READ_TIMEOUT_S = 8;
/**
 * Items per request unless the URL says otherwise: S7-300/400 CPUs and snap7's server take at most 20 (snap7 silently
 * drops the rest of a read and overruns its buffers on a write), so 20 is safe everywhere. Raise it for S7-1500s.
 */
export const DEFAULT_MAX_ITEMS = 20;
/** PDU sizes: below 64 bytes a read carries almost nothing; TPDUs end at 8192. */
const PDU_RANGE = { min: 64, max: 8192 };
/** Connection type PG (programming device) in a TSAP's high byte, as PLC4X and snap7 connect. */
const PG_CONNECTION = 0x01;
/** LOGO!'s S7 server usually listens on TSAP 02.00. */
const LOGO_REMOTE_TSAP = 0x0200;

export interface S7Settings {
  readonly host: string;
  readonly port: number;
  /** Calling (client) and called (PLC) TSAP of the COTP connection request. */
  readonly localTsap: number;
  readonly remoteTsap: number;
  /** The PDU size asked for; the PLC may grant less. */
  readonly pduSize: number;
  readonly maxAmqCaller: number;
  readonly maxAmqCallee: number;
  /** Undefined when the URL names none: every type is allowed then. */
  readonly controllerType: ControllerType | undefined;
  /** How long an answer (and the connection set-up) may take. */
  readonly readTimeoutMs: number;
  /** When set, an idle connection reads one bit this often so that neither side drops it. */
  readonly pingIntervalMs: number | undefined;
  readonly maxItemsPerRequest: number;
}

/** The low byte of a rack/slot TSAP, as Siemens lays it out: rack in bits 5-7, slot in bits 0-4. */
export function tsapOf(connectionType: number, rack: number, slot: number): number {
  return (connectionType << 8) | (rack << 5) | slot;
}

/** Reads an `s7://host[:port][?options]` URL; throws InvalidUrlError, InvalidOptionError or UnknownOptionError. */
export function parseS7Url(url: ConnectionUrl): S7Settings {
  if (url.host === "") {
    throw new InvalidUrlError(url.redacted, url.columns.host, "no host", "a host, e.g. s7://192.168.0.1");
  }
  if (url.path !== "") {
    throw new InvalidUrlError(url.redacted, url.columns.path ?? 1, `path '${url.path}'`, "no path after the host");
  }
  const { options } = url;
  const controllerType = options.oneOf("controller-type", CONTROLLER_TYPES);
  const logo = controllerType === "LOGO";
  const localRack = options.integer("local-rack", { min: 0, max: 7 }, 0);
  const localSlot = options.integer("local-slot", { min: 0, max: 31 }, 0);
  const remoteRack = options.integer("remote-rack", { min: 0, max: 7 }, 0);
  const remoteSlot = options.integer("remote-slot", { min: 0, max: 31 }, 0);
  const derivedRemote = logo && !options.has("remote-rack") && !options.has("remote-slot");
  const readTimeoutMs = seconds(url.redacted, options, "read-timeout", DEFAULT_READ_TIMEOUT_S * 1000);
  const ping = options.boolean("ping", false);
  const pingTimeMs = seconds(url.redacted, options, "ping-time", Math.max(1000, Math.floor(readTimeoutMs / 2)));
  // Accepted so PLC4X URLs work unchanged; the connection manager decides when to reconnect (with backoff).
  seconds(url.redacted, options, "retry-time", 4000);
  const settings: S7Settings = {
    host: url.host,
    port: url.port ?? DEFAULT_S7_PORT,
    localTsap: tsap(url.redacted, options.get("local-tsap")) ?? tsapOf(PG_CONNECTION, localRack, localSlot),
    remoteTsap:
      tsap(url.redacted, options.get("remote-tsap")) ??
      (derivedRemote ? LOGO_REMOTE_TSAP : tsapOf(PG_CONNECTION, remoteRack, remoteSlot)),
    pduSize: options.integer("pdu-size", PDU_RANGE, logo ? LOGO_PDU_SIZE : DEFAULT_PDU_SIZE),
    maxAmqCaller: options.integer("max-amq-caller", { min: 1, max: 0xffff }, DEFAULT_AMQ),
    maxAmqCallee: options.integer("max-amq-callee", { min: 1, max: 0xffff }, DEFAULT_AMQ),
    controllerType,
    readTimeoutMs,
    pingIntervalMs: ping ? pingTimeMs : undefined,
    maxItemsPerRequest: options.integer("max-items-per-request", { min: 1, max: MAX_VAR_ITEMS }, DEFAULT_MAX_ITEMS),
  };
  options.rejectUnknown(S7_OPTIONS);
  return settings;
}

/** A TSAP option: decimal as PLC4X writes it, or hex as TSAPs are usually printed (`0x0200`); 0 means "derive it". */
function tsap(url: string, entry: UrlOption | undefined): number | undefined {
  if (entry === undefined) return undefined;
  const value = /^0x[0-9a-f]{1,4}$/i.test(entry.value)
    ? Number.parseInt(entry.value.slice(2), 16)
    : /^[0-9]{1,5}$/.test(entry.value)
      ? Number(entry.value)
      : Number.NaN;
  if (!(value >= 0 && value <= 0xffff)) {
    const found = `option '${entry.name}' is '${entry.value}'`;
    throw new InvalidOptionError(
      url,
      entry.name,
      entry.valueColumn,
      found,
      `a TSAP 0..65535, e.g. 257 or ${hexWord(0x0101)}`,
    );
  }
  return value === 0 ? undefined : value;
}

/**
 * A duration option in PLC4X's unit, seconds, when written as a bare number (`read-timeout=8`); with a unit (`500ms`,
 * `2s`, `1m`) as written.
 */
function seconds(url: string, options: UrlOptions, name: string, fallback: number): number {
  const entry = options.get(name);
  if (entry === undefined) return fallback;
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(entry.value);
  const factor = match?.[2] === "ms" ? 1 : match?.[2] === "m" ? 60_000 : 1000;
  const ms = match === null ? Number.NaN : Math.round(Number(match[1]) * factor);
  if (!(ms >= 1 && ms <= 3_600_000)) {
    const found = `option '${name}' is '${entry.value}'`;
    throw new InvalidOptionError(
      url,
      name,
      entry.valueColumn,
      found,
      "a duration, seconds by default: 8, 2.5, 500ms or 1m",
    );
  }
  return ms;
}
