// Per-tag outcomes of reads and writes: one bad tag never fails the others in the same request.
import type { PlcValue } from "./values.ts";

/** Why a tag could not be read or written, as PLC4X names it; OK when it could. */
export const RESPONSE_CODES = [
  "OK",
  "NOT_FOUND",
  "ACCESS_DENIED",
  "INVALID_ADDRESS",
  "INVALID_DATATYPE",
  "INVALID_DATA",
  "REMOTE_BUSY",
  "REMOTE_ERROR",
  "TIMEOUT",
  "UNSUPPORTED",
] as const;

export type ResponseCode = (typeof RESPONSE_CODES)[number];
export type ErrorCode = Exclude<ResponseCode, "OK">;

/** GOOD: fresh from the device. UNCERTAIN: the device answered but doubts it. BAD: no trustworthy value. */
export type Quality = "GOOD" | "BAD" | "UNCERTAIN";

/** One tag's read: a value with its quality and times, or the reason there is none. */
export type TagReading =
  | {
      readonly code: "OK";
      readonly value: PlcValue;
      readonly quality: "GOOD" | "UNCERTAIN";
      /** When Fabrik sampled it (ms since the epoch). */
      readonly sampledAt: number;
      /** The device's own timestamp, where the protocol gives one (ms since the epoch). */
      readonly sourceTime?: number;
    }
  | {
      readonly code: ErrorCode;
      readonly quality: "BAD";
      readonly sampledAt: number;
      /** What went wrong, for people: names the device's own error where there is one. */
      readonly message: string;
    };

/** One tag's write outcome. */
export type TagWriteResult = { readonly code: "OK" } | { readonly code: ErrorCode; readonly message: string };
