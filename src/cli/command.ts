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
