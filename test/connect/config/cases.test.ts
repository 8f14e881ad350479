// Runs the golden cases in cases/: each folder holds a config file (and options.json), and the normalized
// ConnectorConfig or the full list of problems it must give (expected.json), with the notes either way.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  ConfigError,
  type ConfigFileFormat,
  type ConfigOptions,
  checkConnectorConfig,
  configFormatOf,
  formatProblem,
  loadConnectorConfig,
} from "../../../src/connect/config/index.ts";

const CASES = join(import.meta.dirname, "cases");

interface Expected {
  readonly shape?: string;
  readonly config?: unknown;
  readonly problems?: readonly string[];
  readonly notes: readonly string[];
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly format: ConfigFileFormat;
  readonly options: ConfigOptions;
  readonly expected: Expected;
}

function readCase(name: string): Case {
  const folder = join(CASES, name);
  const configFile = readdirSync(folder).find((file) => file.startsWith("config."));
  assert.ok(configFile, `${name} has a config.* file`);
  const format = configFormatOf(configFile);
  assert.ok(format, `${name}: ${configFile} has a known extension`);
  const optionsFile = join(folder, "options.json");
  const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as ConfigOptions) : {};
  const expected = JSON.parse(readFileSync(join(folder, "expected.json"), "utf8")) as Expected;
  return { name, file: join(folder, configFile), format, options: { baseDir: "/plant", ...options }, expected };
}

/** What the JSON encoding keeps: the expected files hold no `undefined` members. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

const cases = readdirSync(CASES).sort().map(readCase);

describe("configuration golden cases", () => {
  it("has both kinds of case", () => {
    assert.ok(cases.filter((c) => c.expected.problems === undefined).length >= 5);
    assert.ok(cases.filter((c) => c.expected.problems !== undefined).length >= 5);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const { problems, config, shape, notes } = c.expected;
      assert.equal(problems === undefined, config !== undefined, "expected.json holds either config or problems");
      if (problems === undefined) {
        const loaded = await loadConnectorConfig(c.file, c.options);
        assert.deepEqual(plain(loaded.config), config);
        assert.equal(loaded.shape, shape);
        assert.deepEqual(loaded.notes, notes);
        return;
      }
      await assert.rejects(loadConnectorConfig(c.file, c.options), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.code, "INVALID_CONFIG");
        assert.deepEqual(error.problems.map(formatProblem), problems);
        assert.equal(error.message, problems.join("\n"));
        assert.deepEqual(error.notes, notes);
        return true;
      });
    });
  }

  // The REST API gets JSON bodies already parsed: the same problems, only without lines and columns.
  for (const c of cases.filter((c) => c.format === "json" && c.name !== "json-syntax-error")) {
    it(`${c.name}, as a parsed body`, () => {
      const check = checkConnectorConfig(JSON.parse(readFileSync(c.file, "utf8")), c.options);
      if (c.expected.problems === undefined) {
        assert.ok(check.ok);
        assert.deepEqual(plain(check.config), c.expected.config);
        return;
      }
      assert.ok(!check.ok);
      const withoutPlace = c.expected.problems.map((line) => line.replace(/ \(line \d+(, column \d+)?\)$/, ""));
      assert.deepEqual(check.problems.map(formatProblem).sort(), withoutPlace.sort());
      assert.ok(check.problems.every((problem) => problem.line === undefined));
    });
  }
});
