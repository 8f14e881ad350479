// Compiled regular expressions of the REGEXP_* functions, kept per pattern so a row does not recompile a literal.

import { evalError } from "../types/errors.ts";

const MAX_ENTRIES = 256;
const cache = new Map<string, RegExp>();

/** A compiled pattern; a bad pattern is a SQL_EVAL error naming the function. Global regexes are reset before use. */
export function compiledRegex(fn: string, pattern: string, flags = ""): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    try {
      regex = new RegExp(pattern, flags);
    } catch (error) {
      throw evalError(fn, `invalid regular expression ${JSON.stringify(pattern)}`, error);
    }
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}
