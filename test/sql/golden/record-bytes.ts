// Record keys and values as the golden cases write them (text, JSON, KAFKA numbers, windowed keys) to bytes and back.

import type { JsonValue } from "../../../src/sql/engine/entities.ts";
import type { BytesSpec } from "./case-file.ts";
import { matchValue } from "./value-match.ts";

type Marker = { readonly [key: string]: JsonValue };

function marker(spec: BytesSpec): Marker | undefined {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return undefined;
  return Object.keys(spec).some((k) => k.startsWith("$")) ? spec : undefined;
}

/** The bytes an input spec stands for. */
export function encodeBytes(spec: BytesSpec | undefined): Buffer | null {
  if (spec === undefined || spec === null) return null;
  if (typeof spec === "string") return Buffer.from(spec, "utf8");
  const m = marker(spec);
  if (m === undefined) return Buffer.from(JSON.stringify(spec), "utf8");
  if ("$int" in m) {
    const bytes = Buffer.alloc(4);
    bytes.writeInt32BE(Number(m.$int));
    return bytes;
  }
  if ("$bigint" in m) {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64BE(BigInt(String(m.$bigint)));
    return bytes;
  }
  if ("$double" in m) {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(Number(m.$double));
    return bytes;
  }
  if ("$base64" in m) return Buffer.from(String(m.$base64), "base64");
  if ("$windowed" in m) return Buffer.concat([encodeBytes(m.$windowed) ?? Buffer.alloc(0), long(m.start)]);
  if ("$session" in m) {
    return Buffer.concat([encodeBytes(m.$session) ?? Buffer.alloc(0), long(m.end), long(m.start)]);
  }
  throw new Error(`unknown marker in ${JSON.stringify(spec)}`);
}

function long(value: JsonValue | undefined): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(typeof value === "string" ? Date.parse(value) : Number(value)));
  return bytes;
}

/**
 * Whether `actual` is what `spec` expects. Text compares as text; JSON values compare parsed, exactly (objects with
 * the same fields); windowed keys compare their window bounds and their inner key the same way.
 */
export function matchBytes(spec: BytesSpec | undefined, actual: Buffer | null): boolean {
  if (spec === undefined || spec === null) return actual === null;
  if (actual === null) return false;
  if (typeof spec === "string") return actual.toString("utf8") === spec;
  const m = marker(spec);
  if (m !== undefined) {
    if ("$windowed" in m) {
      if (actual.length < 8) return false;
      const inner = actual.subarray(0, actual.length - 8);
      return matchBytes(m.$windowed, inner) && encodeBytes(spec)?.subarray(-8).equals(actual.subarray(-8)) === true;
    }
    if ("$session" in m) {
      if (actual.length < 16) return false;
      const inner = actual.subarray(0, actual.length - 16);
      return matchBytes(m.$session, inner) && encodeBytes(spec)?.subarray(-16).equals(actual.subarray(-16)) === true;
    }
    return encodeBytes(spec)?.equals(actual) === true;
  }
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(actual.toString("utf8")) as JsonValue;
  } catch {
    return false;
  }
  return matchValue(spec, parsed, "exact") === undefined;
}

/**
 * Bytes for a report: their text when they are printable UTF-8, else the printable start and the rest in hex, with
 * the window bounds a windowed key's last 8 or 16 bytes would stand for.
 */
export function describeBytes(bytes: Buffer | null): string {
  if (bytes === null) return "null";
  let end = 0;
  // Control characters (window bounds, KAFKA numbers) make text unreadable: the readable part stops at the first.
  while (end < bytes.length && bytes[end]! >= 0x20 && bytes[end]! < 0x7f) end++;
  if (end === bytes.length) return bytes.toString("utf8");
  const rest = bytes.subarray(end);
  const bounds =
    rest.length === 8 || rest.length === 16
      ? ` (${[...Array(rest.length / 8).keys()].map((i) => iso(rest.readBigInt64BE(i * 8))).join(", ")})`
      : "";
  return `${bytes.subarray(0, end).toString("utf8")}0x${rest.toString("hex")}${bounds}`;
}

function iso(ms: bigint): string {
  const n = Number(ms);
  return Number.isFinite(n) && Math.abs(n) < 8.64e15 ? new Date(n).toISOString() : String(ms);
}
