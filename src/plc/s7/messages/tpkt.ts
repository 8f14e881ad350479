// RFC 1006 TPKT framing (ISO-on-TCP): the 4-byte header around each COTP TPDU, and splitting a TCP stream into frames.
import { S7FrameError } from "../errors.ts";
import { writeU16 } from "./byte-reader.ts";

export const TPKT_VERSION = 3;
export const TPKT_HEADER_LENGTH = 4;
/** The length field counts the header; the smallest COTP TPDU (DT: length indicator, code, EOT) is 3 bytes. */
export const MIN_TPKT_LENGTH = TPKT_HEADER_LENGTH + 3;
export const MAX_TPKT_LENGTH = 0xffff;

function tpktError(field: string, value: number, detail: string): S7FrameError {
  return new S7FrameError("TPKT", field, value, detail);
}

/** The TPKT frame around one COTP TPDU. */
export function encodeTpkt(tpdu: Uint8Array): Uint8Array {
  const length = TPKT_HEADER_LENGTH + tpdu.length;
  if (length < MIN_TPKT_LENGTH || length > MAX_TPKT_LENGTH) {
    throw tpktError("length", length, `a ${length}-byte frame is outside ${MIN_TPKT_LENGTH}..${MAX_TPKT_LENGTH}`);
  }
  const frame = new Uint8Array(length);
  frame[0] = TPKT_VERSION;
  writeU16(frame, 2, length);
  frame.set(tpdu, TPKT_HEADER_LENGTH);
  return frame;
}

/** The COTP TPDU of exactly one frame (as a test vector holds it); a view, not a copy. */
export function decodeTpkt(frame: Uint8Array): Uint8Array {
  if (frame.length < TPKT_HEADER_LENGTH) {
    throw tpktError("length", frame.length, `${frame.length} bytes end inside the TPKT header`);
  }
  const length = frameLength(frame, MAX_TPKT_LENGTH)!;
  if (length !== frame.length) {
    throw tpktError("length", length, `length ${length} does not match the ${frame.length} bytes given`);
  }
  return frame.subarray(TPKT_HEADER_LENGTH);
}

/**
 * Splits an ISO-on-TCP byte stream into COTP TPDUs: feed it every chunk in order, it returns the TPDUs each chunk
 * completes. A header that cannot be TPKT (version not 3, length below 7 or above `maxFrameLength`) throws S7FrameError
 * as soon as its four bytes are there, and every later push throws the same: the stream has no boundaries left.
 * Whole frames inside one chunk come back as views into it; only frames cut across chunks are copied.
 */
export class TpktFrameSplitter {
  #maxFrameLength: number;
  #partial: Uint8Array = new Uint8Array(0);
  #failure: S7FrameError | undefined;

  /** `maxFrameLength` bounds what one frame may claim, so a lying header cannot make it buffer 64 KB. */
  constructor(maxFrameLength = MAX_TPKT_LENGTH) {
    this.#maxFrameLength = maxFrameLength;
  }

  /** Bytes held back waiting for the rest of their frame. */
  get bufferedBytes(): number {
    return this.#partial.length;
  }

  /** Lowers or raises the largest frame accepted from now on (after the TPDU size is negotiated). */
  limitFrameLength(length: number): void {
    this.#maxFrameLength = Math.min(Math.max(length, MIN_TPKT_LENGTH), MAX_TPKT_LENGTH);
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#failure) throw this.#failure;
    try {
      return this.#split(chunk);
    } catch (error) {
      if (error instanceof S7FrameError) this.#failure = error;
      throw error;
    }
  }

  #split(chunk: Uint8Array): Uint8Array[] {
    let bytes = chunk;
    if (this.#partial.length > 0) {
      bytes = new Uint8Array(this.#partial.length + chunk.length);
      bytes.set(this.#partial);
      bytes.set(chunk, this.#partial.length);
      this.#partial = new Uint8Array(0);
    }
    const tpdus: Uint8Array[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const rest = bytes.subarray(offset);
      const length = frameLength(rest, this.#maxFrameLength);
      if (length === undefined || length > rest.length) {
        // A copy: the chunk's memory belongs to the socket.
        this.#partial = rest.slice();
        break;
      }
      tpdus.push(rest.subarray(TPKT_HEADER_LENGTH, length));
      offset += length;
    }
    return tpdus;
  }
}

/** The frame length once the header is there (undefined before); checks version and length as soon as they arrive. */
function frameLength(bytes: Uint8Array, max: number): number | undefined {
  if (bytes.length >= 1 && bytes[0] !== TPKT_VERSION) {
    throw tpktError("version", bytes[0]!, `version ${bytes[0]} is not ${TPKT_VERSION}: not an ISO-on-TCP stream`);
  }
  if (bytes.length < TPKT_HEADER_LENGTH) return undefined;
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (length < MIN_TPKT_LENGTH || length > max) {
    throw tpktError("length", length, `length ${length} is outside ${MIN_TPKT_LENGTH}..${max}`);
  }
  return length;
}
