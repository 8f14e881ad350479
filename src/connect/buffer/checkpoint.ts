// The buffer's delivery checkpoint: the position of the first record not yet delivered, in two alternating slots.
//
// Each write goes to the slot the older generation holds, so a write torn by a crash leaves the other slot intact: the
// reader takes the valid slot with the higher generation. Falling back to the older slot replays records (duplicates),
// never skips any. Slot (24 bytes): crc32 of bytes 4..24 | magic "FBK1" | generation f64 | head f64, little-endian.

import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";

export const CHECKPOINT_FILE = "checkpoint";
export const SLOT_BYTES = 24;
const MAGIC = 0x314b4246;

export interface CheckpointSlot {
  readonly generation: number;
  readonly head: number;
}

export function encodeSlot(slot: CheckpointSlot): Buffer {
  const bytes = Buffer.alloc(SLOT_BYTES);
  bytes.writeUInt32LE(MAGIC, 4);
  bytes.writeDoubleLE(slot.generation, 8);
  bytes.writeDoubleLE(slot.head, 16);
  bytes.writeUInt32LE(crc32(bytes.subarray(4)), 0);
  return bytes;
}

/** The slot at `offset`, or undefined when it is missing, torn or damaged. */
export function decodeSlot(bytes: Buffer, offset: number): CheckpointSlot | undefined {
  if (bytes.length < offset + SLOT_BYTES) return undefined;
  if (bytes.readUInt32LE(offset) !== crc32(bytes.subarray(offset + 4, offset + SLOT_BYTES))) return undefined;
  if (bytes.readUInt32LE(offset + 4) !== MAGIC) return undefined;
  const generation = bytes.readDoubleLE(offset + 8);
  const head = bytes.readDoubleLE(offset + 16);
  if (!Number.isSafeInteger(generation) || !Number.isSafeInteger(head) || head < 0) return undefined;
  return { generation, head };
}

/** The newest valid slot of a checkpoint file's contents. */
export function newestSlot(bytes: Buffer): CheckpointSlot | undefined {
  const first = decodeSlot(bytes, 0);
  const second = decodeSlot(bytes, SLOT_BYTES);
  if (first === undefined || second === undefined) return first ?? second;
  return first.generation >= second.generation ? first : second;
}

export class Checkpoint {
  /** The head last written: the first position not yet delivered, undefined when none was ever recorded. */
  head: number | undefined;
  readonly #handle: FileHandle;
  #generation: number;

  private constructor(handle: FileHandle, slot: CheckpointSlot | undefined) {
    this.#handle = handle;
    this.#generation = slot?.generation ?? 0;
    this.head = slot?.head;
  }

  static async open(dir: string): Promise<Checkpoint> {
    const path = join(dir, CHECKPOINT_FILE);
    let handle: FileHandle;
    try {
      handle = await open(path, "r+");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      handle = await open(path, "w+");
    }
    const bytes = Buffer.alloc(2 * SLOT_BYTES);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return new Checkpoint(handle, newestSlot(bytes.subarray(0, bytesRead)));
  }

  /** Records `head`; one small positioned write, not synced (see `sync`). */
  async write(head: number): Promise<void> {
    const generation = this.#generation + 1;
    const slot = encodeSlot({ generation, head });
    await this.#handle.write(slot, 0, SLOT_BYTES, (generation % 2) * SLOT_BYTES);
    this.#generation = generation;
    this.head = head;
  }

  sync(): Promise<void> {
    return this.#handle.datasync();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}
