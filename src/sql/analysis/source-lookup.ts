// Finds the streams and tables a statement names in the catalog (with a did-you-mean), and checks new names and topics.

import { MAX_TOPIC_NAME_LENGTH, topicNameProblem } from "../../kafka/index.ts";
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

/**
 * A topic a statement names or creates must be a Kafka topic name. The message states the rule, not the problem's
 * own text: that text names the topic and the rule again, which this message already does.
 */
export function checkTopicName(name: string, span: Span, fail: Fail): void {
  if (topicNameProblem(name) === undefined) return;
  fail(
    "SQL_INVALID_PROPERTY",
    `'${name}' is not a legal Kafka topic name (letters, digits, '.', '_' and '-', at most ${MAX_TOPIC_NAME_LENGTH})`,
    span,
  );
}
