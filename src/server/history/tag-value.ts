// One tag's value read out of a record's JSON text, without decoding the rest of it: history reads many records for
// one tag, and a job record may carry thousands.

/** Where a value's text starts and ends in the document. */
interface Span {
  readonly start: number;
  readonly end: number;
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

function skipWhitespace(text: string, at: number): number {
  let i = at;
  while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  return i;
}

/** The index after the string literal starting at `at` (a `"`); -1 when it does not end. */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const char = text[i];
    if (char === "\\") i++;
    else if (char === '"') return i + 1;
  }
  return -1;
}

/** The index after the value starting at `at`; -1 when the text ends first. Assumes well-formed JSON within it. */
function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return stringEnd(text, at);
  if (first === "{" || first === "[") {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const char = text[i];
      if (char === '"') {
        i = stringEnd(text, i) - 1;
        if (i < 0) return -1;
      } else if (char === "{" || char === "[") depth++;
      else if (char === "}" || char === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  let i = at;
  while (i < text.length && !WHITESPACE.has(text[i]!) && text[i] !== "," && text[i] !== "}" && text[i] !== "]") i++;
  return i === at ? -1 : i;
}

/** The span of member `name` of the object starting at `at`; undefined when it has none or the text is not JSON. */
function member(text: string, at: number, name: string): Span | undefined {
  let i = skipWhitespace(text, at);
  if (text[i] !== "{") return undefined;
  i = skipWhitespace(text, i + 1);
  if (text[i] === "}") return undefined;
  for (;;) {
    if (text[i] !== '"') return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return undefined;
    const raw = text.slice(i + 1, keyEnd - 1);
    const key = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
    i = skipWhitespace(text, keyEnd);
    if (text[i] !== ":") return undefined;
    const start = skipWhitespace(text, i + 1);
    const end = valueEnd(text, start);
    if (end < 0) return undefined;
    if (key === name) return { start, end };
    i = skipWhitespace(text, end);
    if (text[i] !== ",") return undefined;
    i = skipWhitespace(text, i + 1);
  }
}

/** A found value: `found: false` when the record does not name the tag (or is not JSON). */
export type TagLookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const MISSING: TagLookup = { found: false };

function parsed(text: string, span: Span | undefined): TagLookup {
  if (span === undefined) return MISSING;
  try {
    return { found: true, value: JSON.parse(text.slice(span.start, span.end)) };
  } catch {
    return MISSING;
  }
}

/** `tags[alias]` of a job record (`{"tags": {…}, "timestamp": …}`); a BAD tag is found with the value null. */
export function jobRecordTag(text: string, alias: string): TagLookup {
  const tags = member(text, 0, "tags");
  return tags === undefined ? MISSING : parsed(text, member(text, tags.start, alias));
}

/** `value` of a tag record (`{"value": …, "quality": …, "ts": …}`). */
export function tagRecordValue(text: string): TagLookup {
  return parsed(text, member(text, 0, "value"));
}
