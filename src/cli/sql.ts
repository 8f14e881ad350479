// `fabrik sql [url]`: the SQL shell over ksqlDB's REST API; `fabrik sql server`: the SQL engine and that API.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { assertSafeBind } from "../http/index.ts";
import { type KafkaConfig, KafkaError, kafkaConfigFromEnv } from "../kafka/index.ts";
import { SqlClient } from "../sql/api/repl/client.ts";
import { defaultHistoryPath, HistoryFile } from "../sql/api/repl/history.ts";
import { startRepl } from "../sql/api/repl/repl.ts";
import { type OutputFormat, SqlSession } from "../sql/api/repl/session.ts";
import { startSqlServer } from "../sql/api/server.ts";
import { type SqlEngine, startSqlEngine } from "../sql/engine/index.ts";
import { createBuiltinRegistry, loadUserFunctions } from "../sql/functions/index.ts";
import { type Command, HELP_OPTION, interrupted, parseCommandArgs, portOption, UsageError } from "./command.ts";
import { useCluster } from "./kafka.ts";

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

History is kept in ~/.fabrik/sql_history (FABRIK_SQL_HISTORY names another file).

fabrik sql server [options] runs the SQL engine and serves this API (see 'fabrik sql server --help').`;

const SERVER_HELP = `Usage: fabrik sql server [options]

Runs a SQL engine server: the catalog from its command topic, every persistent query (servers with the same service id
split each query's partitions and take over from each other), and ksqlDB's REST API for 'fabrik sql' and ksqlDB clients.

Options:
  --bootstrap <host:port,...>  the Kafka cluster (default KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092)
  --service-id <id>    ksql.service.id: names the command topic, internal topics and query groups (default: default)
  --host <addr>        address of the REST API (default 127.0.0.1; any other requires --token)
  --port <n>           port of the REST API (default 8088; 0 picks a free one)
  --token <t>          require 'Authorization: Bearer <t>' (or set FABRIK_SQL_TOKEN)
  --functions <dir>    load user-defined functions from the TypeScript/JavaScript modules in <dir>
  --property <k=v>     a server property, ksqlDB's names (repeatable), e.g. auto.offset.reset=earliest
  -h, --help           this help

Ctrl-C (or SIGTERM) stops it: each query commits what it processed and leaves its group, so another server of the
service, or this one restarted, carries on from there.`;

const SERVER_OPTIONS = {
  bootstrap: { type: "string" },
  "service-id": { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  token: { type: "string" },
  functions: { type: "string" },
  property: { type: "string", multiple: true },
  ...HELP_OPTION,
} as const;

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
    if (args[0] === "server") return server(args.slice(1));
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

function serverProperties(given: readonly string[] | undefined): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const item of given ?? []) {
    const at = item.indexOf("=");
    if (at <= 0) throw new UsageError(`sql server: --property '${item}' is not name=value`);
    properties[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return properties;
}

function serverLog() {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level} ${message}\n`;
  return {
    info: (message: string) => process.stdout.write(line("INFO", message)),
    warn: (message: string) => process.stderr.write(line("WARN", message)),
    error: (message: string) => process.stderr.write(line("ERROR", message)),
  };
}

/** `fabrik sql server`: the engine and its REST API until Ctrl-C or SIGTERM, which close both. */
async function server(args: string[]): Promise<number> {
  const parsed = parseCommandArgs("sql server", SERVER_HELP, args, SERVER_OPTIONS, 0);
  if (!parsed) return 0;
  const { values } = parsed;
  const properties = serverProperties(values.property);
  const port = portOption("sql server", "--port", values.port, 8088);
  if (values.bootstrap !== undefined) useCluster(values.bootstrap, "sql server");
  const kafka: KafkaConfig = kafkaConfigFromEnv() ?? { bootstrapServers: ["127.0.0.1:9092"] };
  const token = values.token ?? process.env.FABRIK_SQL_TOKEN;
  const host = values.host ?? "127.0.0.1";
  const auth = token === undefined ? undefined : { token };
  try {
    // Before any engine starts: a refused address should cost nothing.
    assertSafeBind(host, auth, "SQL REST API", "run any statement, drop streams and delete their topics");
  } catch (error) {
    process.stderr.write(`fabrik sql server: ${(error as Error).message} (--token, or FABRIK_SQL_TOKEN)\n`);
    return 1;
  }
  const log = serverLog();
  let engine: SqlEngine | undefined;
  let api: Awaited<ReturnType<typeof startSqlServer>> | undefined;
  try {
    const registry = createBuiltinRegistry();
    if (values.functions !== undefined) {
      const names = await loadUserFunctions(values.functions, registry);
      log.info(`loaded ${names.length} user function(s) from ${values.functions}: ${names.join(", ")}`);
    }
    engine = await startSqlEngine({
      kafka,
      registry,
      properties,
      log,
      ...(values["service-id"] === undefined ? {} : { serviceId: values["service-id"] }),
    });
    api = await startSqlServer(engine, {
      host,
      port,
      ...(auth === undefined ? {} : { auth }),
      logger: {
        error: (message, error) => log.error(`${message}: ${error instanceof Error ? error.stack : String(error)}`),
      },
    });
    process.stdout.write(
      `fabrik sql server: service ${engine.serviceId} on Kafka ${kafka.bootstrapServers.join(",")}; ` +
        `REST API at ${api.url}. Ctrl-C stops.\n`,
    );
    await interrupted();
    log.info("stopping: queries commit what they processed and leave their groups");
    return 0;
  } catch (error) {
    const message =
      error instanceof KafkaError ? error.describe() : error instanceof Error ? error.message : String(error);
    process.stderr.write(`fabrik sql server: ${message}\n`);
    return 1;
  } finally {
    await api?.close();
    await engine?.close();
  }
}
