// `fabrik sql server` as a process: the engine behind ksqlDB's REST API, driven by `fabrik sql -e`, stopped by SIGTERM.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FABRIK_MAIN, fabrikEnv } from "../support/cli.ts";
import { createTopic, testKafka, uniqueTopic } from "../support/kafka.ts";

const kafka = testKafka();
const scratch = await mkdtemp(join(tmpdir(), "fabrik-sql-server-"));
after(() => rm(scratch, { recursive: true, force: true }));

function env(): NodeJS.ProcessEnv {
  return fabrikEnv({ FABRIK_SQL_HISTORY: join(scratch, "history"), FABRIK_SQL_TOKEN: undefined });
}

/** Collects a child's output; `waitFor` resolves with the first match of `pattern` in its stdout. */
function watch(child: ChildProcess) {
  let out = "";
  let err = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    for (const waiter of [...waiters]) {
      const match = out.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  return {
    output: () => ({ out, err }),
    waitFor: (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const match = out.match(pattern);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        child.once("exit", (code) => reject(new Error(`exited ${code} before ${pattern}: ${out}\n${err}`)));
      }),
  };
}

async function sqlShell(url: string, statements: string) {
  const child = spawn(process.execPath, [FABRIK_MAIN, "sql", url, "-e", statements], { env: env(), stdio: "pipe" });
  const watched = watch(child);
  child.stdin.end();
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, ...watched.output() };
}

test("fabrik sql server runs the engine behind the REST API; fabrik sql -e talks to it; SIGTERM stops it", async () => {
  const service = uniqueTopic("cli").replace(/^test-/, "");
  const topic = await createTopic(kafka, "cli-readings", 1);
  const server = spawn(
    process.execPath,
    [
      FABRIK_MAIN,
      "sql",
      "server",
      "--bootstrap",
      kafka.bootstrapServers.join(","),
      "--service-id",
      service,
      "--port",
      "0",
      "--property",
      `ksql.output.topic.name.prefix=${service}-`,
      "--functions",
      new URL("../sql/functions/udf", import.meta.url).pathname,
    ],
    { env: env(), stdio: "pipe" },
  );
  const watched = watch(server);
  try {
    const [, url] = await watched.waitFor(/REST API at (http:\/\/127\.0\.0\.1:\d+)/);
    assert.ok(url);

    const shell = await sqlShell(
      url,
      `CREATE STREAM readings (machine STRING KEY, temp DOUBLE) WITH (kafka_topic='${topic}');\n` +
        "CREATE STREAM hot AS SELECT * FROM readings WHERE temp > 50 EMIT CHANGES;\nSHOW STREAMS;\n" +
        "DESCRIBE FUNCTION anomaly_score;",
    );
    assert.equal(shell.code, 0, shell.err);
    assert.match(shell.out, /Stream created/);
    assert.match(shell.out, /Created query with ID CSAS_HOT_\d+/);
    for (const name of ["KSQL_PROCESSING_LOG", "READINGS", "HOT", `${service}-HOT`])
      assert.ok(shell.out.includes(name), name);

    // Straight through REST: ksqlDB's error body for a statement that cannot run.
    const response = await fetch(`${url}/ksql`, {
      method: "POST",
      headers: { "content-type": "application/vnd.ksql.v1+json" },
      body: JSON.stringify({ ksql: "DROP STREAM readings;", streamsProperties: {} }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error_code: number; message: string; statementText: string };
    assert.equal(body.error_code, 40001);
    assert.equal(body.statementText, "DROP STREAM readings;");
    assert.match(body.message, /The following queries read from this source: \[CSAS_HOT_\d+\]/);
    const info = (await (await fetch(`${url}/info`)).json()) as { KsqlServerInfo: { ksqlServiceId: string } };
    assert.equal(info.KsqlServerInfo.ksqlServiceId, service);

    const failed = await sqlShell(url, "DROP STREAM nosuch;");
    assert.equal(failed.code, 1);
    assert.match(failed.out + failed.err, /Source NOSUCH does not exist/);
  } finally {
    server.kill("SIGTERM");
    const [code] = (await once(server, "exit")) as [number | null];
    assert.equal(code, 0, watched.output().err);
  }
});

test("fabrik sql server refuses a non-loopback address without a token, and bad options", async () => {
  const run = async (args: string[]) => {
    const child = spawn(process.execPath, [FABRIK_MAIN, "sql", "server", ...args], { env: env(), stdio: "pipe" });
    const watched = watch(child);
    const [code] = (await once(child, "exit")) as [number | null];
    return { code, ...watched.output() };
  };
  const port = await run(["--port", "http"]);
  assert.equal(port.code, 2);
  assert.match(port.err, /--port 'http' is not a port number/);
  const property = await run(["--property", "novalue"]);
  assert.equal(property.code, 2);
  assert.match(property.err, /--property 'novalue' is not name=value/);
  const open = await run(["--host", "0.0.0.0", "--port", "0"]);
  assert.equal(open.code, 1);
  assert.match(open.err, /Refusing to serve the SQL REST API on 0\.0\.0\.0 without authentication/);
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: fabrik sql server \[options\]/);
});
