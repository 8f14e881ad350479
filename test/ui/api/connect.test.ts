// The UI's Connect client: validation problems at their paths, the invalid-config message read back into problems, the
// plugin class a config is validated as, and task assignments from the worker's task configs.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import {
  ConnectConfigError,
  pluginClassOf,
  problemOf,
  problemsFromMessage,
  putConfig,
  taskAssignments,
  validateConfig,
} from "../../../ui/src/api/connect.ts";

function stubFetch(t: TestContext, answer: (url: string, init: RequestInit) => Response): void {
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init: RequestInit = {}) =>
    answer(String(input), init)) as typeof fetch;
  t.after(() => {
    globalThis.fetch = original;
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

test("problemOf takes a deeper path off the message and keeps the key for problems of the key itself", () => {
  assert.deepEqual(
    problemOf("sources", "sources.press.jobs[0].intervall: unknown key 'intervall'; did you mean 'interval'?"),
    {
      path: "sources.press.jobs[0].intervall",
      message: "unknown key 'intervall'; did you mean 'interval'?",
    },
  );
  assert.deepEqual(
    problemOf(
      "sources",
      "sources.press.url: modbus-tcp://h:5020?unit-identifier=300: option 'unit-identifier' is '300'",
    ),
    {
      path: "sources.press.url",
      message: "modbus-tcp://h:5020?unit-identifier=300: option 'unit-identifier' is '300'",
    },
  );
  assert.deepEqual(problemOf("format", "expected one of job, tag, found 'jobs'"), {
    path: "format",
    message: "expected one of job, tag, found 'jobs'",
  });
  assert.deepEqual(problemOf("sources.m.connectionString", "missing: a source needs a URL"), {
    path: "sources.m.connectionString",
    message: "missing: a source needs a URL",
  });
});

test("validateConfig asks the plugin's validate endpoint and lists every problem with its path", async (t) => {
  let asked = "";
  stubFetch(t, (url, init) => {
    asked = `${init.method} ${url}`;
    return json(200, {
      name: "org.apache.plc4x.kafka.Plc4xSourceConnector",
      error_count: 2,
      configs: [
        { value: { name: "name", errors: [] } },
        {
          value: {
            name: "sources",
            errors: ["sources.press.jobs[0].intervall: unknown key 'intervall'", "sources.press.url: bad port"],
          },
        },
      ],
    });
  });
  const problems = await validateConfig({ name: "x", sources: {} });
  assert.equal(asked, "PUT /api/connect/connector-plugins/Plc4xSourceConnector/config/validate");
  assert.deepEqual(problems, [
    { path: "sources.press.jobs[0].intervall", message: "unknown key 'intervall'" },
    { path: "sources.press.url", message: "bad port" },
  ]);
});

test("pluginClassOf: the config's own connector.class, else source or sink by what it holds", () => {
  assert.equal(
    pluginClassOf({ "connector.class": "org.apache.plc4x.kafka.Plc4xSinkConnector" }),
    "org.apache.plc4x.kafka.Plc4xSinkConnector",
  );
  assert.equal(pluginClassOf({ sources: { a: {} } }), "Plc4xSourceConnector");
  assert.equal(pluginClassOf({ sinks: { a: {} } }), "Plc4xSinkConnector");
});

test("problemsFromMessage reads Connect's invalid-config message back, dropping file positions", () => {
  const message = [
    "Connector configuration is invalid and contains the following 3 error(s):",
    "sources.press.jobs[0].intervall: unknown key 'intervall'; did you mean 'interval'?",
    "format: expected one of job, tag, found 'jobs' (line 3, column 9)",
    "a problem without a path",
    "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`",
  ].join("\n");
  assert.deepEqual(problemsFromMessage(message), [
    { path: "sources.press.jobs[0].intervall", message: "unknown key 'intervall'; did you mean 'interval'?" },
    { path: "format", message: "expected one of job, tag, found 'jobs'" },
    { path: "", message: "a problem without a path" },
  ]);
  assert.deepEqual(problemsFromMessage("Connector x not found"), []);
});

test("putConfig rejects an invalid config with ConnectConfigError holding its problems", async (t) => {
  stubFetch(t, () =>
    json(400, {
      error_code: 400,
      message:
        "Connector configuration is invalid and contains the following 1 error(s):\nname: bad\nYou can also find …",
    }),
  );
  const error = await putConfig("x", { name: "x" }).catch((e: unknown) => e);
  assert.ok(error instanceof ConnectConfigError);
  assert.equal(error.code, "CONNECT_INVALID_CONFIG");
  assert.deepEqual(error.problems, [{ path: "name", message: "bad" }]);
});

test("taskAssignments names each task's source or sink and its URL", async (t) => {
  stubFetch(t, (url) => {
    assert.equal(url, "/api/connect/connectors/demo%20plant/tasks");
    return json(200, [
      { id: { connector: "demo plant", task: 0 }, config: { source: "press", connectionString: "modbus-tcp://h:1" } },
      { id: { connector: "demo plant", task: 1 }, config: { sink: "setpoints", connectionString: "s7://h" } },
    ]);
  });
  assert.deepEqual(await taskAssignments("demo plant"), [
    { task: 0, kind: "source", name: "press", url: "modbus-tcp://h:1" },
    { task: 1, kind: "sink", name: "setpoints", url: "s7://h" },
  ]);
});
