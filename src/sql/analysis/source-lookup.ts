// Finds the streams and tables a statement names in the catalog (with a did-you-mean), and checks new names and topics.

import type { Identifier, Span } from "../language/ast.ts";
import { didYouMean } from "../language/near-miss.ts";
import type { CatalogView, SourceDescription } from "./catalog.ts";
import type { Fail } from "./errors.ts";

export function requireSource(catalog: CatalogView, name: Identifier, fail: Fail): SourceDescription {
  const source = catalog.source(name.value);
  if (source) return source;
  return fail(
    "SQL_UNKNOWN_SOURCE",
    `unknown stream or table ${name.value}${didYouMean(
      name.value,
      catalog.sources().map((s) => s.name),
    )}`,
    name.span,
  );
}

/** CREATE of an existing name fails unless OR REPLACE replaces a source of the same kind. */
export function checkNewName(
  catalog: CatalogView,
  name: Identifier,
  kind: SourceDescription["kind"],
  orReplace: boolean,
  fail: Fail,
): void {
  const existing = catalog.source(name.value);
  if (!existing) return;
  const what = existing.kind.toLowerCase();
  if (!orReplace) {
    fail("SQL_SOURCE_EXISTS", `a ${what} named ${name.value} already exists`, name.span);
  }
  if (existing.kind !== kind) {
    fail("SQL_SOURCE_EXISTS", `cannot replace the ${what} ${name.value} with a ${kind.toLowerCase()}`, name.span);
  }
}

/** Kafka's rule for topic names: 1–249 of letters, digits, '.', '_' and '-', and not '.' or '..'. */
export function checkTopicName(name: string, span: Span, fail: Fail): void {
  if (/^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== "." && name !== "..") return;
  fail(
    "SQL_INVALID_PROPERTY",
    `'${name}' is not a legal Kafka topic name (letters, digits, '.', '_' and '-', at most 249)`,
    span,
  );
}
