// The lines typed into `fabrik sql`, kept in a file between sessions (~/.fabrik/sql_history by default).
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** Where the history lives: FABRIK_SQL_HISTORY when set (tests point it elsewhere), else ~/.fabrik/sql_history. */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.FABRIK_SQL_HISTORY ?? join(homedir(), ".fabrik", "sql_history");
}

/**
 * One line per entry, oldest first. The file is private to its owner (0600): a statement may carry a password, as
 * SET 'sasl.jaas.config' does. A history that cannot be read or written costs the history only, never the session.
 */
export class HistoryFile {
  readonly path: string;
  readonly #limit: number;
  #last: string | undefined;
  #writes: Promise<void> = Promise.resolve();

  constructor(path: string, limit = 1000) {
    this.path = path;
    this.#limit = limit;
  }

  /** The kept lines, oldest first; trims the file to the last `limit` of them. */
  async load(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch {
      return [];
    }
    const lines = text.split("\n").filter((line) => line.trim().length > 0);
    const kept = lines.slice(-this.#limit);
    if (kept.length < lines.length) {
      await writeFile(this.path, `${kept.join("\n")}\n`, { mode: 0o600 }).catch(() => {});
    }
    this.#last = kept.at(-1);
    return kept;
  }

  /** Adds a line unless it is blank or repeats the one before; writes happen in order, in the background. */
  add(line: string): void {
    if (line.trim().length === 0 || line === this.#last) return;
    this.#last = line;
    this.#writes = this.#writes
      .then(async () => {
        await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        await appendFile(this.path, `${line}\n`, { mode: 0o600 });
      })
      .catch(() => {});
  }

  /** Resolves once every added line is written. */
  flush(): Promise<void> {
    return this.#writes;
  }
}
