// Keeping golden cases apart on one broker: every topic a case names gets its engine's unique prefix, and back.

import { randomBytes } from "node:crypto";

/** A prefix no other engine (in this run or an earlier one on the same broker) uses. */
export function uniquePrefix(): string {
  return `golden-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}-`;
}

/** An insertion the rewrite made: `length` characters at `offset` of the original text. */
export interface Insertion {
  readonly offset: number;
  readonly length: number;
}

const KAFKA_TOPIC = /(KAFKA_TOPIC\s*=\s*')([^']*)'/gi;
const PRINT = /^(\s*PRINT\s+)'([^']*)'/i;

/**
 * The statement with its topics prefixed: `KAFKA_TOPIC='x'` in WITH clauses and `PRINT 'x'` (cases quote PRINT's
 * topic, so that the name is taken exactly). Sinks without KAFKA_TOPIC take the prefix from the engine's
 * ksql.output.topic.name.prefix. The insertions let an error's column be mapped back to the text as written.
 */
export function prefixTopics(text: string, prefix: string): { text: string; insertions: Insertion[] } {
  const insertions: Insertion[] = [];
  const mark = (offset: number) => insertions.push({ offset, length: prefix.length });
  let rewritten = text.replace(KAFKA_TOPIC, (_all, head: string, name: string, offset: number) => {
    mark(offset + head.length);
    return `${head}${prefix}${name}'`;
  });
  const print = PRINT.exec(rewritten);
  if (print !== null) {
    mark(print[1]!.length + 1);
    rewritten = rewritten.replace(PRINT, (_all, head: string, name: string) => `${head}'${prefix}${name}'`);
  }
  return { text: rewritten, insertions };
}

/**
 * Maps `line:column` in the rewritten text back to the text as written: an offset after an inserted prefix moves left
 * by its length (one inside a prefix maps to where it was inserted).
 */
export function originalPosition(
  original: string,
  rewritten: string,
  insertions: readonly Insertion[],
  line: number,
  column: number,
): { line: number; column: number } {
  const at = offsetOf(rewritten, line, column);
  let shift = 0;
  let offset = at;
  for (const insertion of [...insertions].sort((a, b) => a.offset - b.offset)) {
    const start = insertion.offset + shift;
    if (at < start) break;
    offset = at >= start + insertion.length ? at - shift - insertion.length : insertion.offset;
    shift += insertion.length;
  }
  const before = original.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split("\n");
  return lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
}

/** `value` with the prefix taken out of every string: responses then name topics the way the case does. */
export function withoutPrefix(value: unknown, prefix: string): unknown {
  if (typeof value === "string") return value.split(prefix).join("");
  if (Array.isArray(value)) return value.map((v) => withoutPrefix(v, prefix));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutPrefix(v, prefix)]));
  }
  return value;
}
