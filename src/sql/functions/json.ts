// JSON functions on STRING columns: EXTRACTJSONFIELD, IS_JSON_STRING, JSON_ARRAY_LENGTH, JSON_KEYS, TO_JSON_STRING…

import { type JsonValue, parseJsonExact, stringifyJson, toJsonText } from "../types/json-value.ts";
import { arrayType, BOOLEAN, INTEGER, mapType, type SqlType, STRING } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import type { FunctionDescription, ParamType, ScalarSignature } from "./signature.ts";

type Str = string | null;
type JsonObject = { [key: string]: JsonValue };

const T: ParamType = { kind: "GENERIC", name: "T" };

/** Parses, or returns undefined for text that is not JSON (the functions turn that into NULL). */
function tryParse(text: string): JsonValue | undefined {
  try {
    return parseJsonExact(text);
  } catch {
    return undefined;
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type PathStep = string | number;
const pathCache = new Map<string, PathStep[] | null>();

/** `$.a.b[0]['c d']` → ["a", "b", 0, "c d"]; null when the path is not of that form. */
export function parseJsonPath(path: string): PathStep[] | null {
  const cached = pathCache.get(path);
  if (cached !== undefined) return cached;
  const steps: PathStep[] = [];
  const step = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let ok = path.startsWith("$");
  step.lastIndex = 1;
  while (ok && step.lastIndex < path.length) {
    const match = step.exec(path);
    if (!match) ok = false;
    else if (match[1] !== undefined) steps.push(match[1]);
    else if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push((match[3] ?? match[4])!.replace(/\\(.)/g, "$1"));
  }
  const result = ok ? steps : null;
  if (pathCache.size < 1024) pathCache.set(path, result);
  return result;
}

function extract(json: Str, path: Str): Str {
  if (json === null || path === null) return null;
  const steps = parseJsonPath(path);
  let node = steps ? tryParse(json) : undefined;
  for (const s of steps ?? []) {
    if (typeof s === "number" ? !Array.isArray(node) : !isObject(node)) return null;
    node = (node as JsonObject & JsonValue[])[s as never];
  }
  if (node === undefined || node === null) return null;
  return typeof node === "string" ? node : stringifyJson(node);
}

/** PostgreSQL's `||` on JSON: objects merge (later keys win), otherwise everything becomes one array. */
function concat(...texts: Str[]): Str {
  const values: JsonValue[] = [];
  for (const text of texts) {
    const value = text === null ? undefined : tryParse(text);
    if (value === undefined) return null;
    values.push(value);
  }
  if (values.every(isObject)) return stringifyJson(Object.assign({}, ...(values as JsonObject[])));
  return stringifyJson(values.flatMap((v) => (Array.isArray(v) ? v : [v])));
}

function jsonEqualsValue(node: JsonValue, value: SqlValue, type: SqlType): boolean {
  switch (type.kind) {
    case "INTEGER":
    case "DOUBLE":
      return typeof node === "number" && node === value;
    case "BIGINT":
      return (
        (typeof node === "bigint" || (typeof node === "number" && Number.isInteger(node))) && BigInt(node) === value
      );
    case "STRING":
    case "BOOLEAN":
      return node === value;
    default:
      return false;
  }
}

function scalar(name: string, description: string, signatures: ScalarSignature[]): FunctionDescription {
  return { name, kind: "scalar", category: "json", description, signatures };
}

export const jsonFunctions: readonly FunctionDescription[] = [
  scalar("EXTRACTJSONFIELD", "The value at a JSONPath ($.a.b[0]) as STRING; NULL when absent or not JSON.", [
    { params: [STRING, STRING], names: ["json", "path"], returns: STRING, impl: extract },
  ]),
  scalar("IS_JSON_STRING", "Whether the string parses as a JSON value (false for NULL).", [
    { params: [STRING], returns: BOOLEAN, impl: (s: Str) => s !== null && tryParse(s) !== undefined },
  ]),
  scalar("JSON_ARRAY_LENGTH", "The length of a top-level JSON array; NULL for anything else.", [
    {
      params: [STRING],
      returns: INTEGER,
      impl: (s: Str) => {
        const value = s === null ? undefined : tryParse(s);
        return Array.isArray(value) ? value.length : null;
      },
    },
  ]),
  scalar("JSON_KEYS", "The top-level keys of a JSON object; NULL for anything else.", [
    {
      params: [STRING],
      returns: arrayType(STRING),
      impl: (s: Str) => {
        const value = s === null ? undefined : tryParse(s);
        return isObject(value) ? Object.keys(value) : null;
      },
    },
  ]),
  scalar("JSON_RECORDS", "The top-level entries of a JSON object, values as JSON text; NULL for anything else.", [
    {
      params: [STRING],
      returns: mapType(STRING, STRING),
      impl: (s: Str) => {
        const value = s === null ? undefined : tryParse(s);
        if (!isObject(value)) return null;
        return new Map<SqlValue, SqlValue>(Object.entries(value).map(([k, v]) => [k, stringifyJson(v)]));
      },
    },
  ]),
  scalar(
    "JSON_CONCAT",
    "Merges JSON objects, or concatenates everything else into one array; NULL if any is not JSON.",
    [{ params: [STRING, STRING], variadic: true, returns: STRING, impl: concat }],
  ),
  scalar("JSON_ARRAY_CONTAINS", "Whether a JSON array string contains a primitive value; false when not an array.", [
    {
      params: [STRING, T],
      returns: BOOLEAN,
      specialize: (types) => (json, value) => {
        const parsed = typeof json === "string" ? tryParse(json) : undefined;
        if (!Array.isArray(parsed)) return false;
        return parsed.some((node) =>
          value === null ? node === null : jsonEqualsValue(node, value as SqlValue, types[1]!),
        );
      },
    },
  ]),
  scalar("TO_JSON_STRING", 'Any value as JSON text (DATE as "yyyy-MM-dd", struct fields by name).', [
    { params: [T], returns: STRING, specialize: (types) => (value) => toJsonText(value as SqlValue, types[0]!) },
  ]),
];
