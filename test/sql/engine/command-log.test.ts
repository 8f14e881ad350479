// Reading command records back: what a valid command holds, and what makes one unreadable (named by its sequence).
import assert from "node:assert/strict";
import { test } from "node:test";
import { COMMAND_VERSION, parseCommand } from "../../../src/sql/engine/command-log.ts";
import { EngineError } from "../../../src/sql/engine/errors.ts";

const bytes = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

test("a command record reads back with its statement, properties, recorded topics and origin", () => {
  const parsed = parseCommand(
    bytes({
      version: 1,
      statement: "CREATE STREAM S AS SELECT * FROM T;",
      properties: { "auto.offset.reset": "earliest" },
      topics: { T: { partitions: 4, replicas: 3 } },
      origin: "server-a",
      future: "fields a newer version adds are ignored",
    }),
    3,
  );
  assert.deepEqual(parsed, {
    sequence: 3,
    origin: "server-a",
    command: {
      statement: "CREATE STREAM S AS SELECT * FROM T;",
      properties: { "auto.offset.reset": "earliest" },
      topics: { T: { partitions: 4, replicas: 3 } },
    },
  });
  assert.deepEqual(parseCommand(bytes({ version: 1, statement: "SHOW STREAMS;" }), 0).command, {
    statement: "SHOW STREAMS;",
    properties: {},
  });
});

test("records that are no command this version reads fail with SQL_COMMAND_INVALID naming the sequence", () => {
  const cases: [unknown, RegExp][] = [
    ["{not json", /command 9: not JSON/],
    [[1, 2], /not a JSON object/],
    [{ statement: "X;" }, /format version undefined/],
    [{ version: COMMAND_VERSION + 1, statement: "X;" }, /format version 2 is not one this server reads/],
    [{ version: 1 }, /no statement/],
    [{ version: 1, statement: "X;", properties: [] }, /properties is not an object/],
    [{ version: 1, statement: "X;", origin: 7 }, /origin is not a string/],
    [{ version: 1, statement: "X;", topics: [] }, /topics is not \{name: \{partitions, replicas\}\}/],
    [{ version: 1, statement: "X;", topics: { T: { partitions: "4", replicas: 1 } } }, /topics is not/],
  ];
  for (const [value, message] of cases) {
    assert.throws(
      () => parseCommand(bytes(value), 9),
      (error: unknown) =>
        error instanceof EngineError && error.code === "SQL_COMMAND_INVALID" && message.test(error.message),
      JSON.stringify(value),
    );
  }
  assert.throws(() => parseCommand(null, 1), /command 1: not a JSON object/);
});
