// The connector's on-disk store-and-forward buffer: what the runtime uses to hold records while Kafka is away.
export {
  BufferAckError,
  type BufferCap,
  BufferClosedError,
  BufferCorruptError,
  BufferError,
  type BufferErrorCode,
  BufferFullError,
  BufferIoError,
  BufferLockedError,
  BufferOptionsError,
  BufferRecordError,
} from "./errors.ts";
export type { BufferedRecord } from "./frame.ts";
export type { CorruptionEvent } from "./log-reader.ts";
export {
  type BufferBatch,
  type BufferDepth,
  type CapEvent,
  type Recovery,
  StoreAndForward,
  type StoreAndForwardOptions,
} from "./store-and-forward.ts";
