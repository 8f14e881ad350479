// The SQL engine's HTTP face: ksqlDB's REST API over a SqlService, and the row conversion the engine uses for it.
export { buildSqlApp, type SqlApiLogger, type SqlAppOptions } from "./app.ts";
export { jsonConverter, jsonRowConverter } from "./json-rows.ts";
export { type SqlServer, type SqlServerOptions, startSqlServer } from "./server.ts";
