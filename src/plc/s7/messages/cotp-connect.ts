// ISO 8073 COTP Connection Request (CR, 0xE0) and Connection Confirm (CC, 0xD0): references, TPDU size and the TSAPs.
import { hexByte, S7FrameError } from "../errors.ts";
import { ByteReader, checkRange, writeU16 } from "./byte-reader.ts";

export const COTP_CONNECTION_REQUEST = 0xe0;
export const COTP_CONNECTION_CONFIRM = 0xd0;

/** Parameter codes of a connection TPDU. */
export const COTP_PARAMETER = { TPDU_SIZE: 0xc0, CALLING_TSAP: 0xc1, CALLED_TSAP: 0xc2 } as const;

/** TPDU sizes are sent as a power of two: code 7 is 128 bytes, code 13 is 8192. */
export const MIN_TPDU_SIZE_CODE = 7;
export const MAX_TPDU_SIZE_CODE = 13;

/** A CR (client → PLC) or CC (PLC → client). TSAPs are the 2-byte S7 ones; absent parameters stay undefined. */
export interface CotpConnection {
  readonly kind: "CR" | "CC";
  /** The peer's reference: 0 in a CR, the client's source reference in a CC. */
  readonly destinationReference: number;
  readonly sourceReference: number;
  /** Class and options byte: 0 for class 0, the only one S7 uses. */
  readonly protocolClass: number;
  /** Largest TPDU in bytes (128..8192, a power of two). */
  readonly tpduSize?: number;
  /** The client's TSAP (e.g. 0x0100). */
  readonly callingTsap?: number;
  /** The PLC's TSAP: connection type in the high byte, rack × 32 + slot in the low byte (e.g. 0x0101). */
  readonly calledTsap?: number;
}

function cotpError(field: string, value: number, detail: string): S7FrameError {
  return new S7FrameError("COTP", field, value, detail);
}

/** The TPDU size code for a size in bytes; the size must be a power of two in 128..8192. */
export function tpduSizeCode(size: number): number {
  const code = Math.log2(size);
  if (!Number.isInteger(code) || code < MIN_TPDU_SIZE_CODE || code > MAX_TPDU_SIZE_CODE) {
    throw cotpError("tpduSize", size, `TPDU size ${size} is not a power of two in 128..8192`);
  }
  return code;
}

export function encodeCotpConnection(tpdu: CotpConnection): Uint8Array {
  checkRange(tpdu.destinationReference, 0, 0xffff, "destinationReference", cotpError);
  checkRange(tpdu.sourceReference, 0, 0xffff, "sourceReference", cotpError);
  checkRange(tpdu.protocolClass, 0, 0xff, "protocolClass", cotpError);
  const parameters: number[] = [];
  if (tpdu.tpduSize !== undefined) parameters.push(COTP_PARAMETER.TPDU_SIZE, 1, tpduSizeCode(tpdu.tpduSize));
  for (const [code, field, tsap] of [
    [COTP_PARAMETER.CALLING_TSAP, "callingTsap", tpdu.callingTsap],
    [COTP_PARAMETER.CALLED_TSAP, "calledTsap", tpdu.calledTsap],
  ] as const) {
    if (tsap === undefined) continue;
    checkRange(tsap, 0, 0xffff, field, cotpError);
    parameters.push(code, 2, tsap >>> 8, tsap & 0xff);
  }
  const bytes = new Uint8Array(7 + parameters.length);
  bytes[0] = 6 + parameters.length;
  bytes[1] = tpdu.kind === "CR" ? COTP_CONNECTION_REQUEST : COTP_CONNECTION_CONFIRM;
  writeU16(bytes, 2, tpdu.destinationReference);
  writeU16(bytes, 4, tpdu.sourceReference);
  bytes[6] = tpdu.protocolClass;
  bytes.set(parameters, 7);
  return bytes;
}

/**
 * A CR or CC TPDU (length indicator included) back into its fields. Parameters S7 does not use (checksum, version,
 * additional options) are skipped; a TSAP that is not 2 bytes or a TPDU size outside 128..8192 is refused.
 */
export function decodeCotpConnection(tpdu: Uint8Array): CotpConnection {
  const reader = new ByteReader(tpdu, cotpError);
  const lengthIndicator = reader.u8("lengthIndicator");
  if (lengthIndicator + 1 !== tpdu.length) {
    throw cotpError("lengthIndicator", lengthIndicator, `length indicator ${lengthIndicator} for ${tpdu.length} bytes`);
  }
  const code = reader.u8("tpduCode");
  if (code !== COTP_CONNECTION_REQUEST && code !== COTP_CONNECTION_CONFIRM) {
    throw cotpError("tpduCode", code, `TPDU code ${hexByte(code)} is neither CR (0xE0) nor CC (0xD0)`);
  }
  const destinationReference = reader.u16("destinationReference");
  const sourceReference = reader.u16("sourceReference");
  const protocolClass = reader.u8("protocolClass");
  let tpduSize: number | undefined;
  let callingTsap: number | undefined;
  let calledTsap: number | undefined;
  while (reader.remaining > 0) {
    const parameter = reader.u8("parameter");
    const length = reader.u8("parameterLength");
    const value = reader.bytes("parameterValue", length);
    if (parameter === COTP_PARAMETER.TPDU_SIZE) {
      const sizeCode = value[0] ?? 0;
      if (length !== 1 || sizeCode < MIN_TPDU_SIZE_CODE || sizeCode > MAX_TPDU_SIZE_CODE) {
        throw cotpError("tpduSize", sizeCode, `TPDU size code ${sizeCode} (length ${length}) is outside 7..13`);
      }
      tpduSize = 2 ** sizeCode;
    } else if (parameter === COTP_PARAMETER.CALLING_TSAP || parameter === COTP_PARAMETER.CALLED_TSAP) {
      const field = parameter === COTP_PARAMETER.CALLING_TSAP ? "callingTsap" : "calledTsap";
      if (length !== 2) throw cotpError(field, length, `a ${length}-byte TSAP; S7 TSAPs are 2 bytes`);
      const tsap = (value[0]! << 8) | value[1]!;
      if (field === "callingTsap") callingTsap = tsap;
      else calledTsap = tsap;
    }
  }
  return {
    kind: code === COTP_CONNECTION_REQUEST ? "CR" : "CC",
    destinationReference,
    sourceReference,
    protocolClass,
    ...(tpduSize === undefined ? {} : { tpduSize }),
    ...(callingTsap === undefined ? {} : { callingTsap }),
    ...(calledTsap === undefined ? {} : { calledTsap }),
  };
}
