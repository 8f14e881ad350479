// The typed errors of the S7 codec: each names the layer or message, the field, and the offending value, under a stable code.

export type S7CodecErrorCode = "S7_FRAME_INVALID" | "S7_PDU_INVALID" | "S7_RESPONSE_MISMATCH" | "S7_VALUE_INVALID";

/** Every error the S7 codec throws; anything else escaping it is a bug in the codec. */
export abstract class S7CodecError extends Error {
  abstract readonly code: S7CodecErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The framing layers below S7comm: RFC 1006 TPKT and ISO 8073 COTP. */
export type FrameLayer = "TPKT" | "COTP";

/**
 * A TPKT or COTP frame that breaks its layer's rules. Read from a stream it means the byte stream lost its frame
 * boundaries (or the peer is not an ISO-on-TCP endpoint): nothing after it can be trusted, so the connection must close.
 */
export class S7FrameError extends S7CodecError {
  override readonly code = "S7_FRAME_INVALID";
  readonly layer: FrameLayer;
  /** The header field at fault: "version", "length", "tpduCode", "parameter", ... */
  readonly field: string;
  readonly value: number;

  constructor(layer: FrameLayer, field: string, value: number, detail: string) {
    super(`${layer}: ${detail}`);
    this.layer = layer;
    this.field = field;
    this.value = value;
  }
}

/**
 * An S7comm PDU that breaks the protocol: a length that does not add up, an unknown message type or function, a field
 * out of its range. Thrown when decoding what came off the wire and when encoding a message that may not be sent.
 */
export class S7PduError extends S7CodecError {
  override readonly code = "S7_PDU_INVALID";
  /** The message it is about, e.g. "Read Var response". */
  readonly messageName: string;
  readonly field: string;
  readonly value: number;

  constructor(messageName: string, field: string, value: number, detail: string) {
    super(`S7 ${messageName}: ${detail}`);
    this.messageName = messageName;
    this.field = field;
    this.value = value;
  }
}

/**
 * A well-formed S7 response that does not answer the request it was matched with: another function, more items than
 * asked for. The device and Fabrik disagree on which request it answers.
 */
export class S7ResponseMismatchError extends S7CodecError {
  override readonly code = "S7_RESPONSE_MISMATCH";
  readonly field: string;
  readonly expected: number;
  readonly actual: number;

  constructor(messageName: string, field: string, expected: number, actual: number) {
    super(`S7 ${messageName}: ${field} is ${actual}, the request needs ${expected}`);
    this.field = field;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Why a value could not be put into (or taken out of) a PLC's bytes. */
export type S7ValueErrorReason = "OUT_OF_RANGE" | "WRONG_TYPE" | "WRONG_LENGTH" | "BAD_ENCODING";

/** A value that does not fit its S7 type, or bytes that hold no valid value of it (a BCD digit above 9, a bad date). */
export class S7ValueError extends S7CodecError {
  override readonly code = "S7_VALUE_INVALID";
  readonly dataType: string;
  readonly reason: S7ValueErrorReason;

  constructor(dataType: string, reason: S7ValueErrorReason, detail: string) {
    super(`S7 ${dataType}: ${detail}`);
    this.dataType = dataType;
    this.reason = reason;
  }
}

/** `0x0F` style, as protocol documents write codes. */
export function hexByte(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** `0x0102` style, for 16-bit codes and TSAPs. */
export function hexWord(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(4, "0")}`;
}
