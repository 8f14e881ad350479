// The shape every `fabrik` subcommand has, and the argument parsing they share.
import { parseArgs, type ParseArgsConfig } from "node:util";

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

/**
 * Parses `args` against `options` (plus `--help`), turning Node's parse errors into UsageErrors that name the command.
 * Returns undefined when `--help` was asked for, after printing `help`.
 */
export function parseCommandArgs<T extends Options>(command: string, help: string, args: string[], options: T) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: T & { help: { type: "boolean"; short: "h" } }; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.replace(/\. To specify.*$/s, "")}`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${help.trim()}\n`);
    return undefined;
  }
  return parsed;
}
