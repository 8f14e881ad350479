// Kafka Streams' windowed key bytes: the inner key, then the window start (time windows) or end and start (sessions).

import type { WindowInfo } from "../analysis/catalog.ts";

export type WindowKind = WindowInfo["kind"];

/** Bounds of one window, milliseconds since the epoch; `end` is exclusive for time windows, the last record for sessions. */
export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

const EMPTY = new Uint8Array(0);

/**
 * TimeWindowedSerializer appends the start as 8 big-endian bytes (the end follows from the size);
 * SessionWindowedSerializer appends the end, then the start.
 */
export function encodeWindowedKey(key: Uint8Array | null, kind: WindowKind, window: WindowBounds): Buffer {
  const inner = key ?? EMPTY;
  const suffix = kind === "SESSION" ? 16 : 8;
  const out = Buffer.allocUnsafe(inner.length + suffix);
  out.set(inner, 0);
  if (kind === "SESSION") {
    out.writeBigInt64BE(BigInt(window.end), inner.length);
    out.writeBigInt64BE(BigInt(window.start), inner.length + 8);
  } else {
    out.writeBigInt64BE(BigInt(window.start), inner.length);
  }
  return out;
}

/** Splits windowed key bytes; `sizeMs` gives a time window's end. Null when the bytes are too short to hold a window. */
export function decodeWindowedKey(
  bytes: Uint8Array,
  kind: WindowKind,
  sizeMs: number | undefined,
): { key: Uint8Array; window: WindowBounds } | null {
  const suffix = kind === "SESSION" ? 16 : 8;
  if (bytes.length < suffix) return null;
  const at = bytes.length - suffix;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const key = bytes.subarray(0, at);
  if (kind === "SESSION") {
    const end = Number(view.getBigInt64(at));
    return { key, window: { start: Number(view.getBigInt64(at + 8)), end } };
  }
  const start = Number(view.getBigInt64(at));
  return { key, window: { start, end: start + (sizeMs ?? 0) } };
}
