// ISO 8073 COTP TPDU Error (ER, 0x70): what a PLC sends back for a TPDU it could not parse.
import { hexByte, S7FrameError } from "../errors.ts";
import { ByteReader, checkRange, writeU16 } from "./byte-reader.ts";

export const COTP_TPDU_ERROR = 0x70;

/** Reject causes of ISO 8073 13.12.3. */
export const REJECT_CAUSE: Readonly<Record<number, string>> = {
  0: "reason not specified",
  1: "invalid parameter code",
  2: "invalid TPDU type",
  3: "invalid parameter value",
};

export interface CotpTpduError {
  readonly destinationReference: number;
  readonly rejectCause: number;
}

function cotpError(field: string, value: number, detail: string): S7FrameError {
  return new S7FrameError("COTP", field, value, detail);
}

/** "invalid TPDU type (0x02)". */
export function describeRejectCause(cause: number): string {
  return `${REJECT_CAUSE[cause] ?? "unknown cause"} (${hexByte(cause)})`;
}

export function encodeCotpTpduError(tpdu: CotpTpduError): Uint8Array {
  checkRange(tpdu.destinationReference, 0, 0xffff, "destinationReference", cotpError);
  checkRange(tpdu.rejectCause, 0, 0xff, "rejectCause", cotpError);
  const bytes = new Uint8Array(5);
  bytes[0] = 4;
  bytes[1] = COTP_TPDU_ERROR;
  writeU16(bytes, 2, tpdu.destinationReference);
  bytes[4] = tpdu.rejectCause;
  return bytes;
}

/** An ER TPDU back into its fields; the parameter that echoes the rejected TPDU is skipped. */
export function decodeCotpTpduError(tpdu: Uint8Array): CotpTpduError {
  const reader = new ByteReader(tpdu, cotpError);
  const lengthIndicator = reader.u8("lengthIndicator");
  if (lengthIndicator + 1 !== tpdu.length || lengthIndicator < 4) {
    throw cotpError(
      "lengthIndicator",
      lengthIndicator,
      `ER length indicator ${lengthIndicator} for ${tpdu.length} bytes`,
    );
  }
  const code = reader.u8("tpduCode");
  if (code !== COTP_TPDU_ERROR) throw cotpError("tpduCode", code, `TPDU code ${hexByte(code)} is not ER (0x70)`);
  return { destinationReference: reader.u16("destinationReference"), rejectCause: reader.u8("rejectCause") };
}
