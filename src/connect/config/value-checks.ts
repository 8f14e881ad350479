// Checks of single configuration values (names, URLs, tag lists, durations), shared by the source and sink validators.
import type { ConnectionUrl, Driver, DriverRegistry } from "../../plc/index.ts";
import { PlcError } from "../../plc/index.ts";
import { parseConnectionUrl, redactUrl } from "../../plc/url.ts";
import type { DraftTag, Located } from "./draft.ts";
import type { ProblemList, Where } from "./errors.ts";
import type { TagConfig } from "./model.ts";
import { closestName } from "./suggest.ts";
import { describeValue, parseDuration, parseInteger, parseSize, type Range, type UnitResult } from "./units.ts";

/** What every check needs: where problems go, notes for people, and the drivers that judge URLs and addresses. */
export interface CheckContext {
  readonly problems: ProblemList;
  readonly notes: string[];
  readonly registry: DriverRegistry;
}

const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * A name of a connector, source, job, sink or tag: letters, digits, `.`, `_`, `-` (they end up in topics and keys).
 * Undefined when it is not one, so that callers skip the checks that build on it (a topic rendered from a bad name
 * would only repeat the problem).
 */
export function checkName(context: CheckContext, located: Located, what: string): string | undefined {
  const { value } = located;
  if (typeof value !== "string" || value === "") {
    context.problems.add(located, `expected a ${what} name, found ${describeValue(value)}`);
    return undefined;
  }
  if (!NAME.test(value)) {
    const at = [...value].findIndex((char) => !NAME.test(char));
    context.problems.add(
      located,
      `${what} name '${value}' has '${value[at]}' at column ${at + 1}; names use letters, digits, '.', '_' and '-'`,
    );
    return undefined;
  }
  return value;
}

/** Reports each name used a second time in one list (`kind` says of what: "job", "tag"). */
export function checkUnique(context: CheckContext, names: readonly Located[], kind: string): void {
  const seen = new Set<unknown>();
  for (const name of names) {
    if (typeof name.value !== "string") continue;
    if (seen.has(name.value)) context.problems.add(name, `${kind} '${name.value}' is defined twice`);
    seen.add(name.value);
  }
}

export function checkString(context: CheckContext, located: Located, what: string): string | undefined {
  if (typeof located.value === "string" && located.value.trim() !== "") return located.value;
  context.problems.add(located, `expected ${what}, found ${describeValue(located.value)}`);
  return undefined;
}

/** One of a fixed set of words; a near miss gets a "did you mean". */
export function checkChoice<T extends string>(
  context: CheckContext,
  located: Located,
  choices: readonly T[],
): T | undefined {
  const match = choices.find((choice) => choice === located.value);
  if (match !== undefined) return match;
  const near = typeof located.value === "string" ? closestName(located.value, choices) : undefined;
  const hint = near === undefined ? "" : `; did you mean '${near}'?`;
  context.problems.add(located, `expected one of ${choices.join(", ")}, found ${describeValue(located.value)}${hint}`);
  return undefined;
}

export interface CheckedUrl {
  readonly url: string;
  /** The parsed URL and its driver; undefined when the URL is invalid. */
  readonly device: { readonly url: ConnectionUrl; readonly driver: Driver } | undefined;
  /** The driver of the URL's protocol, even when an option of the URL is wrong, so that addresses are still checked. */
  readonly driver: Driver | undefined;
}

const NO_URL: CheckedUrl = { url: "", device: undefined, driver: undefined };

/**
 * Checks a connection URL whole, without connecting; the driver's message already names the column and redacts. An
 * absent URL (`located` undefined) was reported missing by the format's reader.
 */
export function checkUrl(context: CheckContext, located: Located | undefined): CheckedUrl {
  if (located === undefined) return NO_URL;
  const { value } = located;
  if (typeof value !== "string" || value === "") {
    context.problems.add(
      located,
      `expected a connection URL (e.g. modbus-tcp://host:502), found ${describeUrl(value)}`,
    );
    return NO_URL;
  }
  try {
    const device = context.registry.check(value);
    return { url: value, device, driver: device.driver };
  } catch (error) {
    if (!(error instanceof PlcError)) throw error;
    const message = error.message.includes(redactUrl(value)) ? error.message : `${redactUrl(value)}: ${error.message}`;
    context.problems.add(located, message);
    return { url: value, device: undefined, driver: driverOf(context.registry, value) };
  }
}

function driverOf(registry: DriverRegistry, url: string): Driver | undefined {
  try {
    return registry.driver(parseConnectionUrl(url).protocol);
  } catch (error) {
    if (error instanceof PlcError) return undefined;
    throw error;
  }
}

function describeUrl(value: unknown): string {
  return typeof value === "string" ? "an empty string" : describeValue(value);
}

/**
 * Checks aliases and addresses; `driver` parses each address when the URL was valid. An empty list is a problem at
 * `tagsAt`, worded by `emptyMessage`.
 */
export function checkTags(
  context: CheckContext,
  tags: readonly DraftTag[],
  tagsAt: Where,
  driver: Driver | undefined,
  emptyMessage: string,
): TagConfig[] {
  if (tags.length === 0) context.problems.add(tagsAt, emptyMessage);
  checkUnique(
    context,
    tags.map((tag) => tag.alias),
    "tag",
  );
  return tags.map((tag) => {
    const alias = checkName(context, tag.alias, "tag") ?? "";
    const address = checkString(context, tag.address, "a tag address");
    if (address !== undefined && driver !== undefined) {
      try {
        driver.parseAddress(address);
      } catch (error) {
        if (!(error instanceof PlcError)) throw error;
        context.problems.add(tag.address, error.message);
      }
    }
    const unit = tag.unit === undefined ? undefined : checkText(context, tag.unit, "a unit", MAX_UNIT_LENGTH);
    const description =
      tag.description === undefined
        ? undefined
        : checkText(context, tag.description, "a description", MAX_DESCRIPTION_LENGTH);
    return {
      alias,
      address: address ?? "",
      ...(unit === undefined ? {} : { unit }),
      ...(description === undefined ? {} : { description }),
    };
  });
}

// Display metadata: a unit fits beside a number, a description in a tooltip.
const MAX_UNIT_LENGTH = 32;
const MAX_DESCRIPTION_LENGTH = 500;

function checkText(context: CheckContext, located: Located, what: string, maxLength: number): string | undefined {
  const text = checkString(context, located, what);
  if (text === undefined || text.length <= maxLength) return text;
  context.problems.add(located, `${what} is at most ${maxLength} characters, found ${text.length}`);
  return undefined;
}

function report(context: CheckContext, located: Located, result: UnitResult, fallback: number): number {
  if (result.ok) return result.value;
  context.problems.add(located, result.message);
  return fallback;
}

/** Milliseconds, or `fallback` when absent (and when invalid: the problem is reported, the config never runs). */
export function checkDuration(context: CheckContext, located: Located | undefined, range: Range, fallback: number) {
  return located === undefined ? fallback : report(context, located, parseDuration(located.value, range), fallback);
}

export function checkInteger(context: CheckContext, located: Located | undefined, range: Range, fallback: number) {
  return located === undefined ? fallback : report(context, located, parseInteger(located.value, range), fallback);
}

export function checkSize(context: CheckContext, located: Located | undefined, range: Range, fallback: number) {
  return located === undefined ? fallback : report(context, located, parseSize(located.value, range), fallback);
}
