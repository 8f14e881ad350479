// The shape every `fabrik` subcommand has, and the argument parsing they share.
import { type ParseArgsConfig, parseArgs } from "node:util";

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** A mistake in how the command was called: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  readonly code = "USAGE";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The `--help` option every command takes; spread it into the command's options. */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/**
 * Parses `args` against `options` (which include HELP_OPTION), turning Node's parse errors into UsageErrors that name
 * the command; more than `maxPositionals` arguments besides the options are a UsageError too. Returns undefined when
 * `--help` was asked for, after printing `help`.
 */
export function parseCommandArgs<T extends Options & typeof HELP_OPTION>(
  command: string,
  help: string,
  args: string[],
  options: T,
  maxPositionals = 0,
) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.replace(/\. To specify.*$/s, "")}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${help.trim()}\n`);
    return undefined;
  }
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) throw new UsageError(`${command}: unexpected argument '${extra}'`);
  return parsed;
}

/**
 * A port option: `fallback` when not given. 0 means "pick a free one" where the command offers that; the others pass
 * `zeroPicksFree` false, which refuses it.
 */
export function portOption(
  command: string,
  option: string,
  value: string | undefined,
  fallback: number,
  zeroPicksFree = true,
): number {
  if (value === undefined) return fallback;
  const min = zeroPicksFree ? 0 : 1;
  // Digits only: Number() would also take "0x50", "8e3" and " 80 ".
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= min && port <= 65535)) {
    throw new UsageError(`${command}: ${option} '${value}' is not a port number (${min}-65535)`);
  }
  return port;
}

/** What a number option accepts: at least `min`, at most `max` if given, and only integers if `whole`. */
export interface NumberRange {
  readonly min: number;
  readonly max?: number;
  readonly whole?: boolean;
}

/** A number option: `fallback` when not given; anything outside `range` is a UsageError that states the range. */
export function numberOption(
  command: string,
  option: string,
  value: string | undefined,
  fallback: number,
  range: NumberRange,
): number {
  if (value === undefined) return fallback;
  const { min, max = Number.POSITIVE_INFINITY, whole = false } = range;
  const n = Number(value);
  // Number("") and Number(" ") are 0: an empty value would otherwise pass as zero.
  if (value.trim() === "" || !Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(`${command}: ${option} '${value}' is not ${describeRange(range)}`);
  }
  return n;
}

function describeRange({ min, max, whole }: NumberRange): string {
  const kind = whole ? "whole number" : "number";
  if (max !== undefined) return `a ${kind} in ${min}..${max}`;
  return whole && min === 1 ? `a positive ${kind}` : `a ${kind} of at least ${min}`;
}

/** Resolves on the first Ctrl-C (or SIGTERM, SIGHUP), and stops listening for the others. */
export function interrupted(): Promise<void> {
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  return new Promise((resolve) => {
    const stop = () => {
      for (const s of signals) process.off(s, stop);
      resolve();
    };
    for (const s of signals) process.on(s, stop);
  });
}
