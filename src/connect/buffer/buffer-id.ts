// The buffer's identity: a random id made when a directory is first opened and kept in it, so positions can be trusted.
//
// Positions restart at 0 in a new (or emptied) directory. Whoever remembers a position outside the buffer (the
// exactly-once sender keeps the last one Kafka committed) stores this id beside it and trusts the position only while
// the id matches. An id file that is missing or damaged gets a new id: the worst that does is a replay of records
// Kafka already holds (duplicates), never a skip.
import { randomUUID } from "node:crypto";
import { open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { syncDirectory } from "./segment.ts";

export const BUFFER_ID_FILE = "BUFFER_ID";
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id kept in `dir`, made (and made durable) when there is none. The caller holds the directory's lock. */
export async function loadBufferId(dir: string): Promise<string> {
  const path = join(dir, BUFFER_ID_FILE);
  const kept = await readId(path);
  if (kept !== undefined) return kept;
  const id = randomUUID();
  // Written aside and renamed, so a crash leaves either no id file or a whole one.
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, "w");
  try {
    await handle.writeFile(`${id}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(dir);
  return id;
}

async function readId(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const id = text.trim();
  return ID_PATTERN.test(id) ? id : undefined;
}
