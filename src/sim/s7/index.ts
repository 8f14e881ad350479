// The simulator's S7 face: what the runner, benchmarks and tests import to serve the plant as an S7-1500 CPU.
export { INPUT_BYTES, MARKER_BYTES, OUTPUT_BYTES, SimulatedCpu } from "./cpu.ts";
export type { DbEntry, DbMap, DbTable } from "./db-map.ts";
export { buildDbMap } from "./db-map.ts";
export type { S7FaceErrorCode } from "./errors.ts";
export { S7FaceError, S7FaceOptionError, S7MapError } from "./errors.ts";
export { createPlantCpu, plantDbMaps } from "./plant-face.ts";
export { PLANT_S7_MAP } from "./plant-map.ts";
export type { S7ServerOptions, S7ServerStats } from "./server.ts";
export {
  DEFAULT_S7_HOST,
  DEFAULT_S7_JOBS,
  DEFAULT_S7_PDU,
  DEFAULT_S7_PORT,
  MAX_S7_LATENCY_MS,
  S7Server,
} from "./server.ts";
