// The interactive statements the executor runs for a client: push and pull queries, INSERT VALUES and PRINT.
export { insertValues } from "./insert-values.ts";
export { type PrintQueryOptions, type PrintStatement, startPrint } from "./print-query.ts";
export { runPullQuery } from "./pull-query.ts";
export { type PushQueryOptions, startPushQuery } from "./push-query.ts";
export { type ResultShape, resultShape } from "./result-shape.ts";
