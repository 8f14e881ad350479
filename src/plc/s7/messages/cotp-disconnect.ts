// ISO 8073 COTP Disconnect Request (DR, 0x80): how a PLC refuses a connection (wrong TSAP, no resources) or ends one.
import { hexByte, S7FrameError } from "../errors.ts";
import { ByteReader, checkRange, writeU16 } from "./byte-reader.ts";

export const COTP_DISCONNECT_REQUEST = 0x80;

/** Reasons of ISO 8073 13.5.3 a PLC gives, with their names; others are named by number. */
export const DISCONNECT_REASON: Readonly<Record<number, string>> = {
  0: "reason not specified",
  1: "congestion at TSAP",
  2: "session entity not attached to TSAP",
  3: "address unknown",
  128: "normal disconnect",
  129: "remote transport entity congestion",
  130: "connection negotiation failed",
  131: "duplicate source reference",
  132: "mismatched references",
  133: "protocol error",
  135: "reference overflow",
  136: "connection request refused",
  138: "header or parameter length invalid",
};

export interface CotpDisconnect {
  readonly destinationReference: number;
  readonly sourceReference: number;
  readonly reason: number;
}

function cotpError(field: string, value: number, detail: string): S7FrameError {
  return new S7FrameError("COTP", field, value, detail);
}

/** "connection request refused (0x88)". */
export function describeDisconnectReason(reason: number): string {
  return `${DISCONNECT_REASON[reason] ?? "unknown reason"} (${hexByte(reason)})`;
}

export function encodeCotpDisconnect(tpdu: CotpDisconnect): Uint8Array {
  checkRange(tpdu.destinationReference, 0, 0xffff, "destinationReference", cotpError);
  checkRange(tpdu.sourceReference, 0, 0xffff, "sourceReference", cotpError);
  checkRange(tpdu.reason, 0, 0xff, "reason", cotpError);
  const bytes = new Uint8Array(7);
  bytes[0] = 6;
  bytes[1] = COTP_DISCONNECT_REQUEST;
  writeU16(bytes, 2, tpdu.destinationReference);
  writeU16(bytes, 4, tpdu.sourceReference);
  bytes[6] = tpdu.reason;
  return bytes;
}

/** A DR TPDU back into its fields; parameters after the reason (additional information) are skipped. */
export function decodeCotpDisconnect(tpdu: Uint8Array): CotpDisconnect {
  const reader = new ByteReader(tpdu, cotpError);
  const lengthIndicator = reader.u8("lengthIndicator");
  if (lengthIndicator + 1 !== tpdu.length || lengthIndicator < 6) {
    throw cotpError(
      "lengthIndicator",
      lengthIndicator,
      `DR length indicator ${lengthIndicator} for ${tpdu.length} bytes`,
    );
  }
  const code = reader.u8("tpduCode");
  if (code !== COTP_DISCONNECT_REQUEST) {
    throw cotpError("tpduCode", code, `TPDU code ${hexByte(code)} is not DR (0x80)`);
  }
  return {
    destinationReference: reader.u16("destinationReference"),
    sourceReference: reader.u16("sourceReference"),
    reason: reader.u8("reason"),
  };
}
