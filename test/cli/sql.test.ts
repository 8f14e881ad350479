// `fabrik sql` as a process: help, usage mistakes, -e and -f scripts against a live server, and the shell on a pipe.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { startSqlServer } from "../../src/sql/api/server.ts";
import { FakeQuery, FakeSqlService, ID_COLUMNS } from "../sql/api/fake-service.ts";
import { runFabrik, runFabrikAsync } from "../support/cli.ts";

const scratch = await mkdtemp(join(tmpdir(), "fabrik-cli-sql-"));
after(() => rm(scratch, { recursive: true, force: true }));

/** No credentials from the developer's shell, and a history file of the test's own. */
const ENV = {
  FABRIK_SQL_HISTORY: join(scratch, "history"),
  FABRIK_SQL_TOKEN: undefined,
  FABRIK_SQL_PASSWORD: undefined,
};

/** Runs the CLI without blocking this process, which serves the API it talks to. */
function fabrik(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  return runFabrikAsync(args, { env: { ...ENV, ...options.env }, stdin: options.stdin ?? "" });
}

async function server(t: { after: (fn: () => Promise<void>) => void }, auth?: { token: string }) {
  const service = new FakeSqlService();
  service.onQuery = (text, properties) =>
    new FakeQuery({ queryId: "transient_9", kind: "push", columns: ID_COLUMNS, text, properties })
      .push(["m1", 1.5], ["m2", 2.5])
      .end();
  const started = await startSqlServer(service, { port: 0, logger: { error: () => {} }, ...(auth ? { auth } : {}) });
  t.after(() => started.close());
  return { service, url: started.url };
}

test("fabrik sql --help documents the url, the options and the history file", () => {
  const result = runFabrik(["sql", "--help"], { env: ENV });
  assert.equal(result.code, 0);
  assert.match(result.out, /^Usage: fabrik sql \[url\] \[options\]/);
  for (const word of ["http://127.0.0.1:8088", "--execute", "--file", "--output", "--token", "--user", "sql_history"]) {
    assert.ok(result.out.includes(word), `help mentions ${word}`);
  }
  assert.match(runFabrik(["--help"]).out, /\n {2}sql +the SQL shell/);
});

test("usage mistakes exit 2 and say what was wrong", async () => {
  const mistakes: [string[], RegExp, Record<string, string>?][] = [
    [["--output", "XML"], /--output 'XML' is not TABULAR or JSON/],
    [["-e", "SHOW STREAMS;", "-f", "x.sql"], /give --execute or --file, not both/],
    [["--user", "ops"], /--user needs the password in FABRIK_SQL_PASSWORD/],
    [["--user", "ops", "--token", "t"], /give --token or --user, not both/, { FABRIK_SQL_PASSWORD: "pw" }],
    [["ftp://host"], /is not an http:\/\/ or https:\/\/ address/],
    [["http://a", "http://b"], /unexpected argument 'http:\/\/b'/],
  ];
  for (const [args, message, extra] of mistakes) {
    const { code, err } = await fabrik(["sql", ...args], { env: extra ?? {} });
    assert.equal(code, 2, args.join(" "));
    assert.match(err, message);
  }
});

test("-e runs the statements with the token, SET applying to the later ones, and exits 0", async (t) => {
  const { service, url } = await server(t, { token: "s3cret" });
  const { code, out, err } = await fabrik(
    ["sql", url, "-e", "SET 'auto.offset.reset'='earliest'; SHOW STREAMS; SELECT * FROM r EMIT CHANGES LIMIT 2;"],
    { env: { FABRIK_SQL_TOKEN: "s3cret" } },
  );
  assert.equal(err, "");
  assert.equal(code, 0);
  assert.deepEqual(service.executed, [{ text: "SHOW STREAMS;", properties: { "auto.offset.reset": "earliest" } }]);
  assert.deepEqual(service.queries[0]!.properties, { "auto.offset.reset": "earliest" });
  assert.match(out, / Stream created /);
  assert.match(out, /\|m1 +\|1\.5 +\|\n\|m2 +\|2\.5 +\|\n/);
  assert.match(out, /Query terminated\n$/);
});

test("-f runs a file and stops at the first failure with exit 1; a wrong token is a refusal", async (t) => {
  const { service, url } = await server(t, { token: "s3cret" });
  const script = join(scratch, "plant.sql");
  await writeFile(script, "SHOW STREAMS;\nSHOW TABLES;\n");
  const refused = await fabrik(["sql", url, "-f", script, "--token", "wrong"]);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /^Invalid bearer token\n$/);
  assert.equal(service.executed.length, 0);
  const ok = await fabrik(["sql", url, "-f", script, "--token", "s3cret", "--output", "json"]);
  assert.equal(ok.code, 0);
  assert.equal(service.executed.length, 2);
  assert.equal(JSON.parse(ok.out.slice(0, ok.out.indexOf("\n]\n") + 2))[0]["@type"], "currentStatus");
  const missing = await fabrik(["sql", url, "-f", join(scratch, "nope.sql")]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read .*nope\.sql/);
});

test("the shell on a pipe: banner, statements, exit on end of input, history written", async (t) => {
  const { service, url } = await server(t);
  const { code, out, err } = await fabrik(["sql", url], {
    stdin: "SHOW\nSTREAMS;\nSELECT * FROM r EMIT CHANGES LIMIT 2;\n",
  });
  assert.equal(err, "");
  assert.equal(code, 0);
  assert.match(out, /^fabrik sql: connected to http:\/\/127\.0\.0\.1:\d+ \(server 0\.1\.0, service fabrik_\)/);
  assert.equal(service.executed[0]!.text, "SHOW\nSTREAMS;");
  assert.match(out, /\|m2 +\|2\.5 +\|/);
  assert.equal(
    await readFile(join(scratch, "history"), "utf8"),
    "SHOW\nSTREAMS;\nSELECT * FROM r EMIT CHANGES LIMIT 2;\n",
  );
});

test("without a server the shell says so and each statement fails with the reason", async () => {
  const { code, out, err } = await fabrik(["sql", "http://127.0.0.1:9"], { stdin: "SHOW STREAMS;\n" });
  assert.equal(code, 0);
  assert.doesNotMatch(out, /connected/);
  assert.match(err, /cannot reach http:\/\/127\.0\.0\.1:9.*statements will fail until it answers/);
  assert.match(out, /cannot reach http:\/\/127\.0\.0\.1:9: connect ECONNREFUSED/);
});
