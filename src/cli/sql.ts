// `fabrik sql [url]`: the SQL shell, talking to a Fabrik (or ksqlDB) server over ksqlDB's REST API.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { SqlClient } from "../sql/api/repl/client.ts";
import { defaultHistoryPath, HistoryFile } from "../sql/api/repl/history.ts";
import { startRepl } from "../sql/api/repl/repl.ts";
import { type OutputFormat, SqlSession } from "../sql/api/repl/session.ts";
import { type Command, HELP_OPTION, parseCommandArgs, UsageError } from "./command.ts";

const HELP = `Usage: fabrik sql [url] [options]

The SQL shell: statements in ksqlDB's dialect, sent to the server at <url> (default http://127.0.0.1:8088) over
ksqlDB's REST API. Statements end with ';' and may span lines; SELECT … EMIT CHANGES streams rows until its LIMIT or
Ctrl-C; Ctrl-D or 'exit' leaves. SET/UNSET 'property'='value' and RUN SCRIPT 'file' work as in ksqlDB's CLI.

Options:
  -e, --execute <statements>  run these statements, print their results and exit (1 if one failed)
  -f, --file <script.sql>     run the statements of a file and exit (1 if one failed)
  --output <TABULAR|JSON>     how results print (default TABULAR)
  --token <t>                 send 'Authorization: Bearer <t>' (or set FABRIK_SQL_TOKEN)
  --user <name>               HTTP Basic user; the password comes from FABRIK_SQL_PASSWORD
  -h, --help                  this help

History is kept in ~/.fabrik/sql_history (FABRIK_SQL_HISTORY names another file).`;

const OPTIONS = {
  execute: { type: "string", short: "e" },
  file: { type: "string", short: "f" },
  output: { type: "string" },
  token: { type: "string" },
  user: { type: "string" },
  ...HELP_OPTION,
} as const;

const DEFAULT_URL = "http://127.0.0.1:8088";

function outputFormat(value: string | undefined): OutputFormat {
  const format = (value ?? "TABULAR").toUpperCase();
  if (format !== "TABULAR" && format !== "JSON") {
    throw new UsageError(`sql: --output '${value}' is not TABULAR or JSON`);
  }
  return format;
}

function authorization(token: string | undefined, user: string | undefined): string | undefined {
  if (token !== undefined && user !== undefined) throw new UsageError("sql: give --token or --user, not both");
  if (user !== undefined) {
    const password = process.env.FABRIK_SQL_PASSWORD;
    if (password === undefined) throw new UsageError("sql: --user needs the password in FABRIK_SQL_PASSWORD");
    return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
  }
  return token === undefined ? undefined : `Bearer ${token}`;
}

export const sqlCommand: Command = {
  name: "sql",
  summary: "the SQL shell: ksqlDB statements and streaming queries against a SQL server",
  help: HELP,
  async run(args) {
    const parsed = parseCommandArgs("sql", HELP, args, OPTIONS, 1);
    if (!parsed) return 0;
    const { values } = parsed;
    if (values.execute !== undefined && values.file !== undefined) {
      throw new UsageError("sql: give --execute or --file, not both");
    }
    const url = parsed.positionals[0] ?? DEFAULT_URL;
    const format = outputFormat(values.output);
    const auth = authorization(values.token ?? process.env.FABRIK_SQL_TOKEN, values.user);
    let client: SqlClient;
    try {
      client = new SqlClient(url, auth === undefined ? {} : { authorization: auth });
    } catch (error) {
      throw new UsageError(`sql: ${(error as Error).message}`);
    }
    try {
      if (values.execute !== undefined) return await runOnce(client, format, values.execute, process.cwd());
      if (values.file !== undefined) {
        let text: string;
        try {
          text = await readFile(values.file, "utf8");
        } catch (error) {
          process.stderr.write(`fabrik sql: cannot read ${values.file}: ${(error as Error).message}\n`);
          return 1;
        }
        return await runOnce(client, format, text, dirname(resolve(values.file)));
      }
      return await interactive(client, format);
    } finally {
      client.close();
    }
  },
};

/** -e and -f: the statements in order, stopping at the first failure; Ctrl-C stops the running query and the rest. */
async function runOnce(client: SqlClient, format: OutputFormat, text: string, baseDir: string): Promise<number> {
  const session = new SqlSession({ client, output: process.stdout, errors: process.stderr, format, baseDir });
  let stopped = false;
  const stop = () => {
    stopped = true;
    session.stop();
  };
  process.on("SIGINT", stop);
  try {
    const ok = await session.runText(text);
    return stopped ? 130 : ok ? 0 : 1;
  } finally {
    process.off("SIGINT", stop);
  }
}

async function interactive(client: SqlClient, format: OutputFormat): Promise<number> {
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const session = new SqlSession({
    client,
    output: process.stdout,
    format,
    width: () => process.stdout.columns || 80,
  });
  await client.info().then(
    (info) =>
      process.stdout.write(
        `fabrik sql: connected to ${client.url} (server ${info.version}, service ${info.ksqlServiceId}).\n` +
          "Statements end with ';'. Type 'help' for more, Ctrl-D or 'exit' to leave.\n",
      ),
    (error: Error) => process.stderr.write(`fabrik sql: ${error.message}; statements will fail until it answers.\n`),
  );
  const repl = await startRepl({
    session,
    input: process.stdin,
    output: process.stdout,
    terminal,
    history: new HistoryFile(defaultHistoryPath()),
  });
  // Outside a terminal Ctrl-C arrives as a signal rather than a key.
  const onSignal = () => repl.interrupt();
  process.on("SIGINT", onSignal);
  try {
    await repl.done;
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
  }
}
