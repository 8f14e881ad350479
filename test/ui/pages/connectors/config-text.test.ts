// The connector config editor's text: written as YAML or JSON, read back with syntax errors placed, and problem paths
// found in the text (nested Fabrik paths, list indexes, PLC4X's dotted flat keys, missing keys on their parent).
import assert from "node:assert/strict";
import { test } from "node:test";
import { configText, locatePath, parseConfigText } from "../../../../ui/src/pages/connectors/config-text.ts";

const CONFIG = {
  name: "plant",
  sources: {
    press: {
      url: "modbus-tcp://127.0.0.1:5020?unit-identifier=3",
      jobs: [
        { name: "fast", interval: "100ms", tags: { temp: "input-register:23:REAL" } },
        { name: "slow", intervall: "1s", tags: { count: { address: "input-register:1:UDINT", unit: "pcs" } } },
      ],
    },
  },
};

function at(text: string, path: string): string | undefined {
  const range = locatePath(text, path);
  return range === undefined ? undefined : text.slice(range.from, range.to);
}

for (const syntax of ["yaml", "json"] as const) {
  test(`${syntax}: the text reads back as the same configuration`, () => {
    const parsed = parseConfigText(configText(CONFIG, syntax));
    assert.deepEqual(parsed, { ok: true, config: CONFIG });
  });

  test(`${syntax}: a problem's path is found at its key, through lists`, () => {
    const text = configText(CONFIG, syntax);
    const quote = syntax === "json" ? '"' : "";
    assert.equal(at(text, "sources.press.jobs[1].intervall"), `${quote}intervall${quote}`);
    assert.equal(at(text, "sources.press.jobs[0].tags.temp"), `${quote}temp${quote}`);
    assert.equal(at(text, "sources.press.url"), `${quote}url${quote}`);
    assert.equal(at(text, "sources.press.jobs[1].tags.count.unit"), `${quote}unit${quote}`);
  });

  test(`${syntax}: a missing key is marked on the nearest key that exists`, () => {
    const text = configText(CONFIG, syntax);
    const quote = syntax === "json" ? '"' : "";
    const item = at(text, "sources.press.jobs[0].subscribe");
    assert.equal(item, at(text, "sources.press.jobs[0]"), "a key missing in a list item marks the item");
    assert.match(item ?? "", syntax === "json" ? /^\{\s*"name": "fast"/ : /^name: fast/);
    assert.equal(at(text, "sources.press.retries"), `${quote}press${quote}`);
    assert.equal(at(text, "sinks.k.url"), undefined, "nothing of it exists");
  });
}

test("PLC4X's flat keys hold dots: the longest key the path starts with wins", () => {
  const text = configText(
    { "connector.class": "Plc4xSourceConnector", sources: "machineA", "sources.machineA.connectionString": "x" },
    "yaml",
  );
  assert.equal(at(text, "sources.machineA.connectionString"), "sources.machineA.connectionString");
  assert.equal(at(text, "sources"), "sources");
});

test("syntax errors come with where they are; a list or a scalar is not a configuration", () => {
  const broken = parseConfigText('{"name": "x",\n "sources": {]}');
  assert.equal(broken.ok, false);
  if (broken.ok) return;
  assert.ok(broken.problems.length > 0);
  assert.ok(broken.problems.every((p) => p.range.to > p.range.from && p.range.from >= 0));
  assert.equal(parseConfigText("- a\n- b\n").ok, false);
  assert.equal(parseConfigText("name: a\nname: b\n").ok, false, "a key given twice");
});
