// The Fabrik server (`src/server/`): one HTTP server for the web UI with the Connect and SQL APIs, live feed and history.
export { buildFabrikApp, DEFAULT_UI_DIR, type FabrikAppOptions, type ServerLog } from "./app.ts";
export { UI_HEADER, UI_HEADER_VALUE } from "./auth.ts";
export { type ErrorBody, ServerRequestError, type ServerRequestErrorCode } from "./errors.ts";
export type { HistoryPoint } from "./history/downsample.ts";
export type { AlertNames, ServerInfo } from "./info.ts";
export type { PlantHealth, SourceHealth, SourceState } from "./live/health.ts";
export type { LiveSample } from "./live/samples.ts";
export type { Plant, PlantJob, PlantSource, PlantTag } from "./plant-catalog.ts";
export { DEFAULT_PORT, type FabrikServer, type FabrikServerOptions, startFabrikServer } from "./server.ts";
export { SESSION_COOKIE, SESSION_IDLE_MS } from "./sessions.ts";
export type { TagWriter } from "./writable-tags.ts";
export type { Published, WritePublisher, WriteRecord } from "./write/publisher.ts";
export { WRITE_EXPIRES_MS, type WriteReceipt, type WriteRequest } from "./write/route.ts";
