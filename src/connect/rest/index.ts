// The connect worker's REST API (Kafka Connect compatible, plus Fabrik's sources and Prometheus metrics).
export { type ConnectRestApiOptions, connectRestApi, type RestLogger } from "./api.ts";
export {
  type ConfigInfo,
  type ConfigInfos,
  type ConfigKeyInfo,
  type ConfigValueInfo,
  configInfos,
} from "./config-infos.ts";
export { type ConnectErrorBody, RestError, type RestErrorCode } from "./errors.ts";
export {
  ConnectMetrics,
  type ConnectMetricsOptions,
  type JobInstruments,
  type JobLabels,
  type SinkLabels,
  type SourceLabels,
} from "./metrics.ts";
export { buildRestApp, type RestServer, type RestServerOptions, startRestServer } from "./server.ts";
