// How a running query's header, rows, end and failure are written on each streaming endpoint, as text chunks.
import type { JsonValue, KsqlErrorBody, QueryStream, ResultColumn } from "../engine/entities.ts";

/**
 * One way of writing a query's results. Chunks are written in order: `header` once, `row` per row, then `end` when the
 * rows ran out or `error` when the query failed after the header went out. A client that leaves gets nothing more.
 */
export interface RowFraming {
  readonly contentType: string;
  header(query: QueryStream): string;
  row(row: readonly JsonValue[]): string;
  end(query: QueryStream): string;
  error(body: KsqlErrorBody): string;
}

export const DELIMITED_CONTENT_TYPE = "application/vnd.ksqlapi.delimited.v1";
const KSQL_V1_JSON = "application/vnd.ksql.v1+json";

/** `ID`, with back-quotes doubled: names in /query's schema text are always quoted, as ksqlDB writes them. */
function quoteName(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** /query's schema text: "`ID` STRING KEY, `X` INTEGER". */
export function schemaText(columns: readonly ResultColumn[]): string {
  return columns.map((c) => `${quoteName(c.name)} ${c.type}${c.key ? " KEY" : ""}`).join(", ");
}

/** The JSON media type a ksqlDB client asked for: the versioned one when it named it, else plain JSON. */
export function jsonContentType(accept: string | undefined): string {
  return accept?.includes(KSQL_V1_JSON) ? KSQL_V1_JSON : "application/json";
}

/**
 * /query (ksqlDB's first streaming endpoint): one JSON array sent in pieces, an element per line — the header, a
 * `{"row":{"columns":[…]}}` per row, and at the end `{"finalMessage":"Limit Reached"}` when a push query stopped at its
 * LIMIT or `{"errorMessage":{…}}` when it failed.
 */
export function queryFraming(accept: string | undefined): RowFraming {
  return {
    contentType: jsonContentType(accept),
    header: (query) => `[${JSON.stringify({ header: { queryId: query.queryId, schema: schemaText(query.columns) } })}`,
    row: (row) => `,\n${JSON.stringify({ row: { columns: row } })}`,
    end: (query) => (query.kind === "push" ? `,\n${JSON.stringify({ finalMessage: "Limit Reached" })}]\n` : "]\n"),
    error: (body) => `,\n${JSON.stringify({ errorMessage: body })}]\n`,
  };
}

/** PRINT on /query: each record's line as text, as ksqlDB's CLI reads it. */
export const printFraming: RowFraming = {
  contentType: "text/plain; charset=utf-8",
  header: () => "",
  row: (row) => `${typeof row[0] === "string" ? row[0] : JSON.stringify(row[0] ?? null)}\n`,
  end: () => "",
  error: (body) => `${body.message}\n`,
};

/** /query-stream's header; pull queries have no id a client could close, so ksqlDB sends none for them. */
function streamHeader(query: QueryStream): string {
  return JSON.stringify({
    ...(query.kind === "pull" ? {} : { queryId: query.queryId }),
    columnNames: query.columns.map((c) => c.name),
    columnTypes: query.columns.map((c) => c.type),
  });
}

/** /query-stream with `application/vnd.ksqlapi.delimited.v1` (the default): the header, then a JSON array per line. */
export const delimitedFraming: RowFraming = {
  contentType: DELIMITED_CONTENT_TYPE,
  header: (query) => `${streamHeader(query)}\n`,
  row: (row) => `${JSON.stringify(row)}\n`,
  end: () => "",
  error: (body) => `${JSON.stringify(body)}\n`,
};

/** /query-stream with `application/json`: the same items as one JSON array. */
export const jsonArrayFraming: RowFraming = {
  contentType: "application/json",
  header: (query) => `[${streamHeader(query)}`,
  row: (row) => `,${JSON.stringify(row)}`,
  end: () => "]",
  error: (body) => `,${JSON.stringify(body)}]`,
};

/** /query-stream's negotiation: delimited unless the client accepts JSON and not the delimited type. */
export function queryStreamFraming(accept: string | undefined): RowFraming {
  if (accept === undefined || accept.includes(DELIMITED_CONTENT_TYPE)) return delimitedFraming;
  return /\bjson\b/.test(accept) ? jsonArrayFraming : delimitedFraming;
}
