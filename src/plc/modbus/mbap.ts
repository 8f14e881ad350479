// Modbus TCP framing: the MBAP header around a PDU, and splitting a TCP byte stream back into whole frames.
import { ModbusFrameError } from "./errors.ts";

/** Transaction id (2), protocol id (2), length (2), unit id (1). */
export const MBAP_HEADER_LENGTH = 7;
/** The largest PDU: 256 bytes of a serial line ADU less address and CRC. */
export const MAX_PDU_LENGTH = 253;
export const MAX_ADU_LENGTH = MBAP_HEADER_LENGTH + MAX_PDU_LENGTH;
/** The protocol id of Modbus; anything else on this port is not ours. */
export const MODBUS_PROTOCOL_ID = 0;

/** The length field counts the unit id and the PDU, whose function code alone is one byte. */
const MIN_LENGTH_FIELD = 2;
const MAX_LENGTH_FIELD = 1 + MAX_PDU_LENGTH;
/** Bytes up to and including the length field: after these the size of the frame is known. */
const LENGTH_KNOWN_AT = 6;

/** One Modbus TCP application data unit. */
export interface Adu {
  /** Pairs a response with its request: the server copies it. 0..65535. */
  readonly transactionId: number;
  /** The device behind a gateway (or 0xFF / any for a device reached directly). 0..255. */
  readonly unitId: number;
  readonly pdu: Uint8Array;
}

/** The whole frame of an ADU, header and PDU in one buffer ready for a socket write. */
export function encodeAdu(adu: Adu): Uint8Array {
  const { transactionId, unitId, pdu } = adu;
  if (!Number.isInteger(transactionId) || transactionId < 0 || transactionId > 0xffff) {
    throw new ModbusFrameError("transactionId", transactionId, `transaction id ${transactionId} is outside 0..65535`);
  }
  if (!Number.isInteger(unitId) || unitId < 0 || unitId > 0xff) {
    throw new ModbusFrameError("unitId", unitId, `unit id ${unitId} is outside 0..255`);
  }
  if (pdu.length < 1 || pdu.length > MAX_PDU_LENGTH) {
    throw new ModbusFrameError("pdu", pdu.length, `PDU of ${pdu.length} bytes is outside 1..${MAX_PDU_LENGTH}`);
  }
  const frame = new Uint8Array(MBAP_HEADER_LENGTH + pdu.length);
  frame[0] = transactionId >>> 8;
  frame[1] = transactionId & 0xff;
  // Protocol id 0 is already there.
  const length = pdu.length + 1;
  frame[4] = length >>> 8;
  frame[5] = length & 0xff;
  frame[6] = unitId;
  frame.set(pdu, MBAP_HEADER_LENGTH);
  return frame;
}

/**
 * One complete frame (exactly one, as a datagram or a test vector holds it) back into its ADU. The PDU is a view into
 * `frame`, not a copy.
 */
export function decodeAdu(frame: Uint8Array): Adu {
  if (frame.length < MBAP_HEADER_LENGTH) {
    throw new ModbusFrameError("length", frame.length, `frame of ${frame.length} bytes ends inside the MBAP header`);
  }
  const total = frameLength(frame, frame.length)!;
  if (frame.length !== total) {
    const detail = `length ${frameLengthField(frame)} makes a ${total}-byte frame, but ${frame.length} bytes were given`;
    throw new ModbusFrameError("length", frameLengthField(frame), detail);
  }
  return aduAt(frame, 0, total);
}

/**
 * Splits a Modbus TCP byte stream into frames: feed it every chunk the socket delivers, in order, and it returns the
 * frames each chunk completes. Frames may arrive cut at any byte or many to a chunk.
 *
 * It never waits for more than one frame's worth of bytes: a header that cannot be Modbus (protocol id not 0, length
 * outside 2..254) throws ModbusFrameError as soon as the bytes naming it arrive. After that the stream has no frame
 * boundaries left to find, so the splitter refuses all further input with the same error: close the connection.
 *
 * No copies where it can help it: a frame that lies whole within one chunk is returned as a view into that chunk, so
 * the caller must not reuse a chunk's memory while its frames are in use (Node's sockets hand out fresh buffers). Only
 * a frame cut across chunks is gathered into a buffer of its own.
 */
export class MbapFrameSplitter {
  /** The start of a frame cut off at the end of the last chunk; never more than one frame. */
  readonly #partial = new Uint8Array(MAX_ADU_LENGTH);
  #partialLength = 0;
  #failure: ModbusFrameError | undefined;

  /** Bytes held back waiting for the rest of their frame. */
  get bufferedBytes(): number {
    return this.#partialLength;
  }

  push(chunk: Uint8Array): Adu[] {
    if (this.#failure) throw this.#failure;
    try {
      return this.#split(chunk);
    } catch (error) {
      if (error instanceof ModbusFrameError) this.#failure = error;
      throw error;
    }
  }

  #split(chunk: Uint8Array): Adu[] {
    const frames: Adu[] = [];
    let offset = 0;
    if (this.#partialLength > 0) {
      offset = this.#completePartial(chunk);
      if (this.#partialLength > 0) return frames;
      const total = frameLength(this.#partial, MBAP_HEADER_LENGTH)!;
      // A copy, because #partial is about to be overwritten by the next cut frame.
      frames.push(aduAt(this.#partial.slice(0, total), 0, total));
    }
    while (offset < chunk.length) {
      const rest = chunk.subarray(offset);
      const total = frameLength(rest, rest.length);
      if (total === undefined || total > rest.length) {
        this.#partial.set(rest);
        this.#partialLength = rest.length;
        break;
      }
      frames.push(aduAt(chunk, offset, total));
      offset += total;
    }
    return frames;
  }

  /** Moves bytes from `chunk` into the cut frame until it is whole or the chunk is used up; returns bytes used. */
  #completePartial(chunk: Uint8Array): number {
    let used = 0;
    while (used < chunk.length) {
      const known = frameLength(this.#partial, this.#partialLength);
      const wanted = (known ?? LENGTH_KNOWN_AT) - this.#partialLength;
      const take = Math.min(wanted, chunk.length - used);
      this.#partial.set(chunk.subarray(used, used + take), this.#partialLength);
      this.#partialLength += take;
      used += take;
      if (known !== undefined && this.#partialLength === known) {
        this.#partialLength = 0;
        return used;
      }
    }
    // Validate the header bytes that have arrived so far, even if the frame is still incomplete.
    frameLength(this.#partial, this.#partialLength);
    return used;
  }
}

/**
 * The total length of the frame starting at bytes[0], once its length field has arrived (undefined before). Checks
 * every header field that is already there, so a bad stream fails as early as possible.
 */
function frameLength(bytes: Uint8Array, available: number): number | undefined {
  if (available >= 4) {
    const protocolId = (bytes[2]! << 8) | bytes[3]!;
    if (protocolId !== MODBUS_PROTOCOL_ID) {
      throw new ModbusFrameError("protocolId", protocolId, `protocol id ${protocolId} is not Modbus (0)`);
    }
  }
  if (available < LENGTH_KNOWN_AT) return undefined;
  const length = frameLengthField(bytes);
  if (length < MIN_LENGTH_FIELD || length > MAX_LENGTH_FIELD) {
    throw new ModbusFrameError(
      "length",
      length,
      `length ${length} is outside ${MIN_LENGTH_FIELD}..${MAX_LENGTH_FIELD}`,
    );
  }
  return LENGTH_KNOWN_AT + length;
}

function frameLengthField(bytes: Uint8Array): number {
  return (bytes[4]! << 8) | bytes[5]!;
}

function aduAt(bytes: Uint8Array, offset: number, total: number): Adu {
  return {
    transactionId: (bytes[offset]! << 8) | bytes[offset + 1]!,
    unitId: bytes[offset + 6]!,
    pdu: bytes.subarray(offset + MBAP_HEADER_LENGTH, offset + total),
  };
}
