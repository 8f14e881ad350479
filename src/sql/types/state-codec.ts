// Lossless JSON for aggregate state and other values bound for changelog topics: bigint, Decimal, Map, Set, bytes.

import { Decimal } from "./decimal.ts";
import { SqlFunctionError } from "./errors.ts";

/** What an aggregate's state may be built from: SQL values plus plain arrays, objects and Sets. */
export type StateValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Decimal
  | Uint8Array
  | StateValue[]
  | Map<StateValue, StateValue>
  | Set<StateValue>
  | { [key: string]: StateValue };

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

/*
 * Tags are one-key objects whose key starts with "$". A plain object that itself has exactly one "$" key is wrapped
 * in {"$obj": …} so that it can never be read back as a tag.
 */
export function encodeState(value: StateValue): Encoded {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : { $double: String(value) };
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value instanceof Decimal) return { $decimal: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(encodeState);
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encodeState(k), encodeState(v)]) };
  if (value instanceof Set) return { $set: [...value].map(encodeState) };
  const out: { [key: string]: Encoded } = {};
  for (const [k, v] of Object.entries(value)) out[k] = encodeState(v);
  const keys = Object.keys(out);
  return keys.length === 1 && keys[0]!.startsWith("$") ? { $obj: out } : out;
}

export function decodeState(encoded: unknown): StateValue {
  if (encoded === null || typeof encoded === "boolean" || typeof encoded === "string" || typeof encoded === "number") {
    return encoded;
  }
  if (Array.isArray(encoded)) return encoded.map(decodeState);
  if (typeof encoded !== "object") throw badState(`unexpected ${typeof encoded}`);
  const record = encoded as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0]!.startsWith("$")) return decodeTag(keys[0]!, record[keys[0]!]);
  const out: { [key: string]: StateValue } = {};
  for (const k of keys) out[k] = decodeState(record[k]);
  return out;
}

function decodeTag(tag: string, body: unknown): StateValue {
  switch (tag) {
    case "$double":
      return Number(body);
    case "$bigint":
      return BigInt(String(body));
    case "$decimal":
      return Decimal.parse(String(body));
    case "$bytes":
      return Buffer.from(String(body), "base64");
    case "$map":
      if (!Array.isArray(body)) throw badState("$map needs an array of pairs");
      return new Map(body.map((pair) => [decodeState((pair as unknown[])[0]), decodeState((pair as unknown[])[1])]));
    case "$set":
      if (!Array.isArray(body)) throw badState("$set needs an array");
      return new Set(body.map(decodeState));
    case "$obj": {
      const out: { [key: string]: StateValue } = {};
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) out[k] = decodeState(v);
      return out;
    }
    default:
      throw badState(`unknown tag ${tag}`);
  }
}

export function stateToJson(value: StateValue): string {
  return JSON.stringify(encodeState(value));
}

export function stateFromJson(text: string): StateValue {
  return decodeState(JSON.parse(text));
}

function badState(why: string): SqlFunctionError {
  return new SqlFunctionError("SQL_EVAL", `aggregate state cannot be decoded: ${why}`);
}
