// Finds the streams and tables a statement names in the catalog, with a did-you-mean when one is missing.

import type { Identifier } from "../language/ast.ts";
import { nearestName } from "../language/near-miss.ts";
import type { CatalogView, SourceDescription } from "./catalog.ts";
import type { Fail } from "./errors.ts";

export function requireSource(catalog: CatalogView, name: Identifier, fail: Fail): SourceDescription {
  const source = catalog.source(name.value);
  if (source) return source;
  const suggestion = nearestName(
    name.value,
    catalog.sources().map((s) => s.name),
  );
  return fail(
    "SQL_UNKNOWN_SOURCE",
    `unknown stream or table ${name.value}${suggestion ? `; did you mean ${suggestion}?` : ""}`,
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
export function isLegalTopicName(name: string): boolean {
  return /^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== "." && name !== "..";
}
