// The record formats' public surface: createSerde and what it takes and gives.

export { createSerde } from "./create-serde.ts";
export { SqlSerdeError, type SqlSerdeErrorCode } from "./errors.ts";
export type { Serde, SerdeColumn, SerdeFormat, SerdeOptions } from "./serde.ts";
