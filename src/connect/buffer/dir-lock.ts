// One writer per buffer directory: a lock file naming the owner's pid, taken over when that process is gone.
//
// A process killed with SIGKILL leaves its lock behind, so a lock whose pid is dead (or is our own pid, as after a
// restart in a container where the connector is always pid 1, but not held by this process) is stale and taken over.
// A pid reused by an unrelated live process reads as locked: the error names the pid and the file to remove.
import { open, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BufferLockedError } from "./errors.ts";

const LOCK_FILE = "LOCK";
const heldHere = new Set<string>();

export class DirectoryLock {
  readonly #dir: string;
  readonly #path: string;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#path = join(dir, LOCK_FILE);
  }

  static async take(dir: string): Promise<DirectoryLock> {
    const key = resolve(dir);
    if (heldHere.has(key)) throw new BufferLockedError(dir, process.pid);
    heldHere.add(key);
    try {
      const lock = new DirectoryLock(key);
      await lock.#acquire();
      return lock;
    } catch (error) {
      heldHere.delete(key);
      throw error;
    }
  }

  async release(): Promise<void> {
    heldHere.delete(this.#dir);
    await rm(this.#path, { force: true });
  }

  async #acquire(): Promise<void> {
    let owner: number;
    try {
      owner = Number.parseInt(await readFile(this.#path, "utf8"), 10);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      owner = Number.NaN;
    }
    if (Number.isSafeInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new BufferLockedError(this.#dir, owner);
    }
    const handle = await open(this.#path, "w");
    try {
      await handle.writeFile(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
