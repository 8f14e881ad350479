// String scalar functions (CONCAT, SUBSTRING, TRIM, LPAD, INSTR, INITCAP, SPLIT, MASK, UUID, CHR…).

import { randomUUID } from "node:crypto";
import { evalError } from "../types/errors.ts";
import { arrayType, BYTES, INTEGER, mapType, STRING } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import { compiledRegex } from "./regex-cache.ts";
import type { FunctionDescription, ScalarSignature } from "./signature.ts";

type Str = string | null;
type Int = number | null;

function scalar(name: string, description: string, signatures: ScalarSignature[]): FunctionDescription {
  return { name, kind: "scalar", category: "string", description, signatures };
}

function unaryString(fn: (s: string) => string): ScalarSignature[] {
  return [{ params: [STRING], returns: STRING, impl: (s: Str) => (s === null ? null : fn(s)) }];
}

/** Java's String.trim criterion: every character up to U+0020 counts as space. */
const isSpace = (code: number) => code <= 0x20;

function trimStart(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function trimEnd(s: string): string {
  let j = s.length;
  while (j > 0 && isSpace(s.charCodeAt(j - 1))) j--;
  return s.slice(0, j);
}

/** 1-based `pos`; a negative `pos` counts from the end; out-of-range positions clamp to the ends. */
function substringBounds(length: number, pos: number, count: number | undefined): [number, number] {
  const start = pos < 0 ? Math.max(length + pos, 0) : Math.max(Math.min(pos - 1, length), 0);
  const end = count === undefined ? length : Math.max(Math.min(start + count, length), start);
  return [start, end];
}

function pad(side: "left" | "right") {
  return (input: Str, length: Int, padding: Str): Str => {
    if (input === null || length === null || padding === null || padding === "" || length < 0) return null;
    if (input.length >= length) return input.slice(0, length);
    const fill = padding.repeat(Math.ceil((length - input.length) / padding.length)).slice(0, length - input.length);
    return side === "left" ? fill + input : input + fill;
  };
}

function instr(s: Str, sub: Str, position: Int = 1, occurrence: Int = 1): Int {
  if (s === null || sub === null || position === null || occurrence === null) return null;
  if (position === 0 || occurrence < 1) return 0;
  let found = -1;
  let from = position > 0 ? position - 1 : s.length + position;
  for (let n = 0; n < occurrence; n++) {
    found = position > 0 ? s.indexOf(sub, from) : from < 0 ? -1 : s.lastIndexOf(sub, from);
    if (found < 0) return 0;
    from = position > 0 ? found + 1 : found - 1;
  }
  return found + 1;
}

function initcap(s: string): string {
  let out = "";
  let startOfWord = true;
  for (const ch of s) {
    const space = /\s/.test(ch);
    out += space ? ch : startOfWord ? ch.toUpperCase() : ch.toLowerCase();
    startOfWord = space;
  }
  return out;
}

/** Splits on every match of a pattern, keeping empty pieces at the ends and between adjacent matches. */
function splitKeepingEmpty(s: string, pattern: RegExp): string[] {
  const pieces: string[] = [];
  let last = 0;
  for (const match of s.matchAll(pattern)) {
    if (match[0] === "") continue;
    pieces.push(s.slice(last, match.index));
    last = match.index + match[0].length;
  }
  pieces.push(s.slice(last));
  return pieces;
}

type MaskChars = [Str, Str, Str, Str];
const DEFAULT_MASK: MaskChars = ["X", "x", "n", "-"];

function maskChar(ch: string, masks: MaskChars): string {
  const cls = /\p{Lu}/u.test(ch) ? 0 : /\p{Ll}/u.test(ch) ? 1 : /\p{Nd}/u.test(ch) ? 2 : 3;
  const replacement = masks[cls];
  return replacement === null ? ch : (replacement[0] ?? ch);
}

/** MASK and its four variants: which characters get masked is a range of indexes [from, to). */
function maskFunction(name: string, description: string, range: ((len: number, n: number) => [number, number]) | null) {
  const signatures: ScalarSignature[] = [];
  for (let extra = 0; extra <= 4; extra++) {
    const params = range ? [STRING, INTEGER] : [STRING];
    const maskParams = Array.from({ length: extra }, () => STRING);
    signatures.push({
      params: [...params, ...maskParams],
      returns: STRING,
      impl: (...args: SqlValue[]) => {
        const input = args[0] as Str;
        const n = range ? (args[1] as Int) : 0;
        if (input === null || (range && n === null)) return null;
        if (n !== null && n < 0) throw evalError(name, `number of characters must not be negative, got ${n}`);
        const given = args.slice(range ? 2 : 1) as Str[];
        const masks = DEFAULT_MASK.map((d, i) => (i < given.length ? given[i]! : d)) as MaskChars;
        const chars = [...input];
        const [from, to] = range ? range(chars.length, n!) : [0, chars.length];
        return chars.map((ch, i) => (i >= from && i < to ? maskChar(ch, masks) : ch)).join("");
      },
    });
  }
  return scalar(name, description, signatures);
}

type Encoding = "hex" | "utf8" | "ascii" | "base64";
const ENCODINGS = new Set(["hex", "utf8", "ascii", "base64"]);

function checkEncoding(fn: string, name: string): Encoding {
  if (!ENCODINGS.has(name))
    throw evalError(fn, `unsupported encoding ${JSON.stringify(name)}; use hex, utf8, ascii or base64`);
  return name as Encoding;
}

/** Text in an encoding → bytes; ASCII replaces characters above 127 with '?', as Java's US_ASCII encoder does. */
function textToBytes(fn: string, text: string, encoding: string): Buffer {
  switch (checkEncoding(fn, encoding)) {
    case "hex":
      if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw evalError(fn, `not hex: ${JSON.stringify(text)}`);
      return Buffer.from(text, "hex");
    case "base64":
      return Buffer.from(text, "base64");
    case "ascii":
      return Buffer.from([...text].map((ch) => (ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 63)));
    case "utf8":
      return Buffer.from(text, "utf8");
  }
}

function bytesToText(fn: string, bytes: Uint8Array, encoding: string): string {
  const buffer = Buffer.from(bytes);
  switch (checkEncoding(fn, encoding)) {
    case "ascii":
      return [...buffer].map((b) => (b < 128 ? String.fromCharCode(b) : "\uFFFD")).join("");
    default:
      return buffer.toString(encoding as BufferEncoding);
  }
}

const UNICODE_ESCAPE = /^\\u([0-9a-fA-F]{4})$/;

export const stringFunctions: readonly FunctionDescription[] = [
  scalar("CONCAT", "Concatenates strings (or bytes); NULL inputs count as empty.", [
    { params: [STRING], variadic: true, returns: STRING, impl: (...s: Str[]) => s.map((x) => x ?? "").join("") },
    {
      params: [BYTES],
      variadic: true,
      returns: BYTES,
      impl: (...b: (Uint8Array | null)[]) => Buffer.concat(b.filter((x) => x !== null)),
    },
  ]),
  scalar("CONCAT_WS", "Joins the non-NULL inputs with a separator; NULL when the separator is NULL.", [
    {
      params: [STRING, STRING],
      names: ["separator", "expr"],
      variadic: true,
      returns: STRING,
      impl: (sep: Str, ...s: Str[]) => (sep === null ? null : s.filter((x) => x !== null).join(sep)),
    },
  ]),
  scalar(
    "LCASE",
    "Converts a string to lower case.",
    unaryString((s) => s.toLowerCase()),
  ),
  scalar(
    "UCASE",
    "Converts a string to upper case.",
    unaryString((s) => s.toUpperCase()),
  ),
  scalar(
    "TRIM",
    "Removes leading and trailing spaces.",
    unaryString((s) => trimEnd(trimStart(s))),
  ),
  scalar("LTRIM", "Removes leading spaces.", unaryString(trimStart)),
  scalar("RTRIM", "Removes trailing spaces.", unaryString(trimEnd)),
  scalar(
    "INITCAP",
    "Capitalises the first letter of each whitespace-delimited word, lower-cases the rest.",
    unaryString(initcap),
  ),
  scalar("LEN", "The length of a string, or the number of bytes.", [
    { params: [STRING], returns: INTEGER, impl: (s: Str) => s?.length ?? null },
    { params: [BYTES], returns: INTEGER, impl: (b: Uint8Array | null) => b?.length ?? null },
  ]),
  scalar("SUBSTRING", "The part of str from 1-based pos (negative: from the end), optionally len long.", [
    {
      params: [STRING, INTEGER],
      names: ["str", "pos"],
      returns: STRING,
      impl: (s: Str, pos: Int) =>
        s === null || pos === null ? null : s.slice(...substringBounds(s.length, pos, undefined)),
    },
    {
      params: [STRING, INTEGER, INTEGER],
      names: ["str", "pos", "len"],
      returns: STRING,
      impl: (s: Str, pos: Int, len: Int) =>
        s === null || pos === null || len === null ? null : s.slice(...substringBounds(s.length, pos, len)),
    },
    {
      params: [BYTES, INTEGER],
      returns: BYTES,
      impl: (b: Uint8Array | null, pos: Int) =>
        b === null || pos === null ? null : b.slice(...substringBounds(b.length, pos, undefined)),
    },
    {
      params: [BYTES, INTEGER, INTEGER],
      returns: BYTES,
      impl: (b: Uint8Array | null, pos: Int, len: Int) =>
        b === null || pos === null || len === null ? null : b.slice(...substringBounds(b.length, pos, len)),
    },
  ]),
  scalar("LPAD", "Pads input on the left with padding up to length; truncates longer input.", [
    { params: [STRING, INTEGER, STRING], names: ["input", "length", "padding"], returns: STRING, impl: pad("left") },
  ]),
  scalar("RPAD", "Pads input on the right with padding up to length; truncates longer input.", [
    { params: [STRING, INTEGER, STRING], names: ["input", "length", "padding"], returns: STRING, impl: pad("right") },
  ]),
  scalar("REPLACE", "Replaces every occurrence of a substring.", [
    {
      params: [STRING, STRING, STRING],
      names: ["str", "search", "replacement"],
      returns: STRING,
      impl: (s: Str, search: Str, rep: Str) =>
        s === null || search === null || rep === null ? null : s.replaceAll(search, () => rep),
    },
  ]),
  scalar("INSTR", "The 1-based position of the n-th occurrence of substring, searching from position; 0 if absent.", [
    { params: [STRING, STRING], names: ["string", "substring"], returns: INTEGER, impl: instr },
    { params: [STRING, STRING, INTEGER], names: ["string", "substring", "position"], returns: INTEGER, impl: instr },
    {
      params: [STRING, STRING, INTEGER, INTEGER],
      names: ["string", "substring", "position", "occurrence"],
      returns: INTEGER,
      impl: instr,
    },
  ]),
  scalar("SPLIT", "Splits a string on a delimiter, keeping empty pieces; an empty delimiter splits every character.", [
    {
      params: [STRING, STRING],
      names: ["str", "delimiter"],
      returns: arrayType(STRING),
      impl: (s: Str, d: Str) => (s === null || d === null ? null : s.split(d)),
    },
  ]),
  scalar("SPLIT_TO_MAP", "Splits text into entries, then each entry into key and value; later keys win.", [
    {
      params: [STRING, STRING, STRING],
      names: ["input", "entryDelimiter", "kvDelimiter"],
      returns: mapType(STRING, STRING),
      impl: (s: Str, entryDelimiter: Str, kvDelimiter: Str) => {
        if (s === null || !entryDelimiter || !kvDelimiter) return null;
        const map = new Map<SqlValue, SqlValue>();
        for (const entry of s.split(entryDelimiter)) {
          const at = entry.indexOf(kvDelimiter);
          if (entry !== "" && at >= 0) map.set(entry.slice(0, at), entry.slice(at + kvDelimiter.length));
        }
        return map;
      },
    },
  ]),
  scalar("REGEXP_EXTRACT", "The first match of pattern in input, or of one capturing group; NULL when none.", [
    {
      params: [STRING, STRING],
      names: ["pattern", "input"],
      returns: STRING,
      impl: (p: Str, s: Str) =>
        p === null || s === null ? null : (compiledRegex("REGEXP_EXTRACT", p).exec(s)?.[0] ?? null),
    },
    {
      params: [STRING, STRING, INTEGER],
      names: ["pattern", "input", "group"],
      returns: STRING,
      impl: (p: Str, s: Str, g: Int) => {
        if (p === null || s === null || g === null) return null;
        const match = compiledRegex("REGEXP_EXTRACT", p).exec(s);
        if (match && (g < 0 || g >= match.length)) throw evalError("REGEXP_EXTRACT", `no group ${g} in ${p}`);
        return match?.[g] ?? null;
      },
    },
  ]),
  scalar("REGEXP_EXTRACT_ALL", "Every match of pattern in input, or of one capturing group.", [
    {
      params: [STRING, STRING],
      names: ["pattern", "input"],
      returns: arrayType(STRING),
      impl: (p: Str, s: Str) =>
        p === null || s === null ? null : [...s.matchAll(compiledRegex("REGEXP_EXTRACT_ALL", p, "g"))].map((m) => m[0]),
    },
    {
      params: [STRING, STRING, INTEGER],
      names: ["pattern", "input", "group"],
      returns: arrayType(STRING),
      impl: (p: Str, s: Str, g: Int) =>
        p === null || s === null || g === null
          ? null
          : [...s.matchAll(compiledRegex("REGEXP_EXTRACT_ALL", p, "g"))].map((m) => m[g] ?? null),
    },
  ]),
  scalar("REGEXP_REPLACE", "Replaces every match of a regular expression ($1 refers to a group).", [
    {
      params: [STRING, STRING, STRING],
      names: ["input", "regex", "replacement"],
      returns: STRING,
      impl: (s: Str, p: Str, r: Str) =>
        s === null || p === null || r === null ? null : s.replace(compiledRegex("REGEXP_REPLACE", p, "g"), r),
    },
  ]),
  scalar("REGEXP_SPLIT_TO_ARRAY", "Splits a string on a regular expression, keeping empty pieces.", [
    {
      params: [STRING, STRING],
      names: ["str", "regex"],
      returns: arrayType(STRING),
      impl: (s: Str, p: Str) =>
        s === null || p === null
          ? null
          : p === ""
            ? s.split("")
            : splitKeepingEmpty(s, compiledRegex("REGEXP_SPLIT_TO_ARRAY", p, "g")),
    },
  ]),
  maskFunction("MASK", "Masks upper-case, lower-case, digit and other characters (default X, x, n, -).", null),
  maskFunction("MASK_KEEP_LEFT", "MASK except the first n characters.", (len, n) => [Math.min(n, len), len]),
  maskFunction("MASK_KEEP_RIGHT", "MASK except the last n characters.", (len, n) => [0, Math.max(len - n, 0)]),
  maskFunction("MASK_LEFT", "MASK only the first n characters.", (len, n) => [0, Math.min(n, len)]),
  maskFunction("MASK_RIGHT", "MASK only the last n characters.", (len, n) => [Math.max(len - n, 0), len]),
  scalar("ENCODE", "Re-encodes a string given in input_encoding into output_encoding (hex, utf8, ascii, base64).", [
    {
      params: [STRING, STRING, STRING],
      names: ["str", "input_encoding", "output_encoding"],
      returns: STRING,
      impl: (s: Str, from: Str, to: Str) =>
        s === null || from === null || to === null ? null : bytesToText("ENCODE", textToBytes("ENCODE", s, from), to),
    },
  ]),
  scalar("TO_BYTES", "Converts a string in an encoding (hex, utf8, ascii, base64) to BYTES.", [
    {
      params: [STRING, STRING],
      returns: BYTES,
      impl: (s: Str, e: Str) => (s === null || e === null ? null : textToBytes("TO_BYTES", s, e)),
    },
  ]),
  scalar("FROM_BYTES", "Converts BYTES to a string in an encoding (hex, utf8, ascii, base64).", [
    {
      params: [BYTES, STRING],
      returns: STRING,
      impl: (b: Uint8Array | null, e: Str) => (b === null || e === null ? null : bytesToText("FROM_BYTES", b, e)),
    },
  ]),
  scalar("CHR", "The character of a decimal code point or of a '\\uXXXX' string; NULL when invalid.", [
    {
      params: [INTEGER],
      returns: STRING,
      impl: (c: Int) => (c === null || c < 0 || c > 0x10ffff ? null : String.fromCodePoint(c)),
    },
    {
      params: [STRING],
      returns: STRING,
      impl: (s: Str) => {
        const match = s === null ? null : UNICODE_ESCAPE.exec(s);
        return match ? String.fromCharCode(Number.parseInt(match[1]!, 16)) : null;
      },
    },
  ]),
  scalar("UUID", "A random (version 4) UUID.", [{ params: [], returns: STRING, impl: () => randomUUID() }]),
];
