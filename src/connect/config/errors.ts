// Configuration problems: each one says where (path, line, column) and what; ConfigError carries all of them at once.

/** Where something is in the configuration as the user wrote it: a path in their own terms, and where known the line. */
export interface Where {
  /** `sources.press.jobs[1].tags.temp` (Fabrik format) or the flat key itself (PLC4X format); empty for the whole file. */
  readonly path: string;
  /** 1-based, when the text the configuration came from is known. */
  readonly line?: number;
  readonly column?: number;
}

/** One thing wrong with a configuration. `message` never holds a connection URL's password. */
export interface ConfigProblem extends Where {
  readonly message: string;
}

/** `path: message (line L, column C)`, the one line a person reads. */
export function formatProblem(problem: ConfigProblem): string {
  const place =
    problem.line === undefined
      ? ""
      : problem.column === undefined
        ? ` (line ${problem.line})`
        : ` (line ${problem.line}, column ${problem.column})`;
  const prefix = problem.path === "" ? "" : `${problem.path}: `;
  return `${prefix}${problem.message}${place}`;
}

/** An invalid configuration: `problems` lists every problem found, and the message is all of them, one per line. */
export class ConfigError extends Error {
  readonly code = "INVALID_CONFIG";
  readonly problems: readonly ConfigProblem[];
  /** What was noticed besides the problems (ignored keys, unused jobs), for a CLI to print along with them. */
  readonly notes: readonly string[];

  constructor(problems: readonly ConfigProblem[], notes: readonly string[] = []) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
    this.notes = notes;
  }
}

/**
 * Collects problems while a configuration is checked, so that every one is reported rather than the first. The same
 * problem found twice (a PLC4X job shared by two sources is checked once per source) is kept once.
 */
export class ProblemList {
  readonly #problems: ConfigProblem[] = [];
  readonly #seen = new Set<string>();

  add(where: Where, message: string): void {
    const key = `${where.path}\u0000${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const problem: ConfigProblem = {
      path: where.path,
      message,
      ...(where.line === undefined ? {} : { line: where.line }),
      ...(where.column === undefined ? {} : { column: where.column }),
    };
    this.#problems.push(problem);
  }

  get size(): number {
    return this.#problems.length;
  }

  /** In the order of the file (by line, then column); problems without a line keep the order found, last. */
  list(): readonly ConfigProblem[] {
    const order = (p: ConfigProblem) => [p.line ?? Number.MAX_SAFE_INTEGER, p.column ?? 0] as const;
    return [...this.#problems].sort((a, b) => {
      const [lineA, columnA] = order(a);
      const [lineB, columnB] = order(b);
      return lineA - lineB || columnA - columnB;
    });
  }
}
