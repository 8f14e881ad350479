// What a failure the engine reported says (codes, message, position as the case wrote the text), checked against a case.

import assert from "node:assert/strict";
import { KsqlRequestError } from "../../../src/sql/engine/entities.ts";
import type { ErrorSpec } from "./case-file.ts";
import { type Insertion, originalPosition } from "./topic-names.ts";

/** A statement as the case wrote it and as it was sent, topics prefixed. */
export interface PrefixedText {
  readonly original: string;
  readonly text: string;
  readonly insertions: readonly Insertion[];
}

export interface ErrorFacts {
  /** Fabrik's code (SQL_…), found on the error or its causes. */
  readonly code?: string;
  /** ksqlDB's REST error code. */
  readonly errorCode?: number;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

const POSITION = /line (\d+):(\d+)/;

export function errorFacts(error: unknown, text: PrefixedText): ErrorFacts {
  const message = error instanceof Error ? error.message : String(error);
  let code: string | undefined;
  for (let e: unknown = error; e instanceof Error && code === undefined; e = e.cause) {
    const candidate = (e as { code?: unknown }).code;
    if (typeof candidate === "string" && candidate.startsWith("SQL_")) code = candidate;
  }
  const errorCode = error instanceof KsqlRequestError ? error.body.error_code : undefined;
  const at = POSITION.exec(message);
  const position =
    at === null ? undefined : originalPosition(text.original, text.text, text.insertions, Number(at[1]), Number(at[2]));
  return {
    message,
    ...(code === undefined ? {} : { code }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(position === undefined ? {} : position),
  };
}

export function assertError(expected: ErrorSpec, facts: ErrorFacts, what: string): void {
  const about = `${what}: ${facts.message}`;
  if (expected.code !== undefined) assert.equal(facts.code, expected.code, `code of ${about}`);
  if (expected.error_code !== undefined) assert.equal(facts.errorCode, expected.error_code, `error_code of ${about}`);
  if (expected.message !== undefined) {
    assert.ok(facts.message.includes(expected.message), `${about}\n  lacks "${expected.message}"`);
  }
  if (expected.line !== undefined) assert.equal(facts.line, expected.line, `line of ${about}`);
  if (expected.column !== undefined) assert.equal(facts.column, expected.column, `column of ${about}`);
}
