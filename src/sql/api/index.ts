// The SQL engine's HTTP face: ksqlDB's REST API over a SqlService.
export { buildSqlApp, type SqlApiLogger, type SqlAppOptions } from "./app.ts";
export { type SqlServer, type SqlServerOptions, startSqlServer } from "./server.ts";
