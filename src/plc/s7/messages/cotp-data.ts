// ISO 8073 COTP Data (DT, 0xF0): carries S7comm PDUs, cut into several TPDUs when one exceeds the negotiated TPDU size.
import { hexByte, S7FrameError } from "../errors.ts";

export const COTP_DATA = 0xf0;
/** Length indicator, code, and the EOT/number byte of a class 0 DT. */
export const COTP_DATA_HEADER_LENGTH = 3;
const END_OF_TRANSMISSION = 0x80;

/** One DT TPDU: a piece of an S7 PDU, the last one when `eot` is set. */
export interface CotpData {
  readonly eot: boolean;
  /** 0..127; class 0 does not number its TPDUs, so senders write 0. */
  readonly tpduNumber: number;
  readonly payload: Uint8Array;
}

function cotpError(field: string, value: number, detail: string): S7FrameError {
  return new S7FrameError("COTP", field, value, detail);
}

export function encodeCotpData(data: CotpData): Uint8Array {
  if (!Number.isInteger(data.tpduNumber) || data.tpduNumber < 0 || data.tpduNumber > 0x7f) {
    throw cotpError("tpduNumber", data.tpduNumber, `TPDU number ${data.tpduNumber} is outside 0..127`);
  }
  const bytes = new Uint8Array(COTP_DATA_HEADER_LENGTH + data.payload.length);
  bytes[0] = 2;
  bytes[1] = COTP_DATA;
  bytes[2] = (data.eot ? END_OF_TRANSMISSION : 0) | data.tpduNumber;
  bytes.set(data.payload, COTP_DATA_HEADER_LENGTH);
  return bytes;
}

/** A DT TPDU back into its fields; the payload is a view into `tpdu`. */
export function decodeCotpData(tpdu: Uint8Array): CotpData {
  if (tpdu.length < COTP_DATA_HEADER_LENGTH) {
    throw cotpError("length", tpdu.length, `a ${tpdu.length}-byte DT ends inside its 3-byte header`);
  }
  if (tpdu[0] !== 2) throw cotpError("lengthIndicator", tpdu[0]!, `DT length indicator ${tpdu[0]} is not 2`);
  if (tpdu[1] !== COTP_DATA) throw cotpError("tpduCode", tpdu[1]!, `TPDU code ${hexByte(tpdu[1]!)} is not DT (0xF0)`);
  const flags = tpdu[2]!;
  return {
    eot: (flags & END_OF_TRANSMISSION) !== 0,
    tpduNumber: flags & 0x7f,
    payload: tpdu.subarray(COTP_DATA_HEADER_LENGTH),
  };
}

/**
 * The DT TPDUs that carry `pdu` within `maxTpduSize` bytes each (the header counted): one when it fits, else pieces with
 * EOT on the last.
 */
export function splitIntoDataTpdus(pdu: Uint8Array, maxTpduSize: number): Uint8Array[] {
  const room = maxTpduSize - COTP_DATA_HEADER_LENGTH;
  if (room < 1) throw cotpError("tpduSize", maxTpduSize, `TPDU size ${maxTpduSize} leaves no room for data`);
  const tpdus: Uint8Array[] = [];
  for (let offset = 0; offset < pdu.length || tpdus.length === 0; offset += room) {
    const end = Math.min(pdu.length, offset + room);
    tpdus.push(encodeCotpData({ eot: end === pdu.length, tpduNumber: 0, payload: pdu.subarray(offset, end) }));
  }
  return tpdus;
}
