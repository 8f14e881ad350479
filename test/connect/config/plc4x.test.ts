// Tests the PLC4X key rules the golden cases do not show: classes, topics of sinks, dotted names, shared jobs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ConfigCheck, checkConnectorConfig, checkConnectorConfigText } from "../../../src/connect/config/index.ts";

const source = {
  name: "s",
  "connector.class": "org.apache.plc4x.kafka.Plc4xSourceConnector",
  "default.topic": "t",
  sources: "m",
  "sources.m.connectionString": "simulated://127.0.0.1",
  "sources.m.jobReferences": "j",
  jobs: "j",
  "jobs.j.tags": "a",
  "jobs.j.tags.a": "RANDOM/A:INT",
};

const sink = {
  name: "k",
  "connector.class": "org.apache.plc4x.kafka.Plc4xSinkConnector",
  topics: "in",
  sinks: "w",
  "sinks.w.connectionString": "simulated://127.0.0.1",
  "sinks.w.topic": "in",
  "sinks.w.tags": "a",
  "sinks.w.tags.a": "STATE/A:INT",
};

function problems(check: ConfigCheck): string[] {
  assert.ok(!check.ok, "expected problems");
  return check.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

function loaded(check: ConfigCheck) {
  assert.ok(check.ok, check.ok ? "" : JSON.stringify(check.problems));
  return check;
}

describe("PLC4X connector class", () => {
  it("accepts the full class names and Kafka Connect's short aliases", () => {
    for (const name of ["org.apache.plc4x.kafka.Plc4xSourceConnector", "Plc4xSourceConnector", "Plc4xSource"]) {
      loaded(checkConnectorConfig({ ...source, "connector.class": name }));
    }
  });

  it("refuses another connector's class", () => {
    assert.deepEqual(problems(checkConnectorConfig({ ...source, "connector.class": "FileStreamSource" })), [
      "connector.class: 'FileStreamSource' is not a PLC4X connector; expected org.apache.plc4x.kafka.Plc4xSourceConnector or org.apache.plc4x.kafka.Plc4xSinkConnector",
    ]);
  });

  it("checks tasks.max as Kafka Connect would, then notes that it is ignored", () => {
    assert.deepEqual(problems(checkConnectorConfig({ ...source, "tasks.max": "0" })), [
      "tasks.max: 0 is out of range; expected 1..10000",
    ]);
  });
});

describe("PLC4X sources", () => {
  it("accepts source names with dots, matching the longest listed name", () => {
    const { config } = loaded(
      checkConnectorConfig({
        ...source,
        sources: "site1.press,site1",
        "sources.m.connectionString": undefined,
        "sources.m.jobReferences": undefined,
        "sources.site1.press.connectionString": "simulated://press",
        "sources.site1.press.jobReferences": "j",
        "sources.site1.connectionString": "simulated://site",
        "sources.site1.jobReferences": "j",
        "sources.site1.press.jobReferences.j.topic": "press",
      }),
    );
    assert.deepEqual(
      config.sources.map((s) => [s.name, s.url, s.jobs[0]?.topic]),
      [
        ["site1.press", "simulated://press", "press"],
        ["site1", "simulated://site", "t"],
      ],
    );
  });

  it("gives a job shared by two sources to each, with each reference's topic", () => {
    const check = loaded(
      checkConnectorConfig({
        ...source,
        sources: "m,n",
        "sources.n.connectionString": "simulated://other",
        "sources.n.jobReferences": "j",
        "sources.n.jobReferences.j.topic": "n-topic",
      }),
    );
    assert.deepEqual(
      check.config.sources.map((s) => s.jobs.map((job) => [job.name, job.topic])),
      [[["j", "t"]], [["j", "n-topic"]]],
    );
    assert.deepEqual(check.notes, []);
  });

  it("refuses a topic for a job the source does not reference, and unknown source keys", () => {
    assert.deepEqual(
      problems(
        checkConnectorConfig({
          ...source,
          "sources.m.jobReferences.other.topic": "x",
          "sources.m.jobReferences.j.topc": "x",
          "sources.m.conectionString": "x",
        }),
      ),
      [
        "sources.m.jobReferences.other.topic: job 'other' is not in sources.m.jobReferences",
        "sources.m.jobReferences.j.topc: unknown key 'topc'; did you mean 'topic'?",
        "sources.m.conectionString: unknown key 'conectionString'; did you mean 'connectionString'?",
      ],
    );
  });

  it("refuses values that are not strings, numbers or booleans", () => {
    assert.deepEqual(problems(checkConnectorConfig({ ...source, "jobs.j.interval": { ms: 5 } })), [
      "jobs.j.interval: expected a string, found a mapping",
    ]);
  });

  it("refuses an empty name in a list", () => {
    assert.deepEqual(
      problems(checkConnectorConfig({ ...source, "jobs.j.tags": "a,,b", "jobs.j.tags.b": "RANDOM/B:INT" })),
      ["jobs.j.tags: an empty name in the comma-separated list"],
    );
  });

  it("suggests the job a reference misspells", () => {
    assert.deepEqual(problems(checkConnectorConfig({ ...source, "sources.m.jobReferences": "jj" })), [
      "sources.m.jobReferences: job 'jj' is not defined: did you mean 'j'?",
    ]);
  });

  it("notes a key given twice in a properties file; the last one counts", () => {
    const text =
      "name=s\nsources=m\nsources.m.connectionString=simulated://a\nsources.m.connectionString=simulated://b\n" +
      "sources.m.jobReferences=j\ndefault.topic=t\njobs=j\njobs.j.tags=a\njobs.j.tags.a=RANDOM/A:INT\n";
    const check = loaded(checkConnectorConfigText(text, "properties"));
    assert.equal(check.config.sources[0]?.url, "simulated://b");
    assert.deepEqual(check.notes, [
      "sources.m.connectionString is given twice (lines 3 and 4); the last one counts, as in Java",
    ]);
  });
});

describe("PLC4X sinks", () => {
  it("uses Kafka Connect's dead letter queue as every sink's dead letter topic", () => {
    const { config } = loaded(checkConnectorConfig({ ...sink, "errors.deadletterqueue.topic.name": "dlq" }));
    assert.equal(config.sinks[0]?.deadLetterTopic, "dlq");
    assert.equal(config.sinks[0]?.groupId, "fabrik-sink-k-w");
  });

  it("refuses a sink topic that topics does not list, and notes a listed topic no sink writes", () => {
    const check = checkConnectorConfig({ ...sink, topics: "in,spare", "sinks.w.topic": "elsewhere" });
    assert.deepEqual(problems(check), [
      "sinks.w.topic: 'elsewhere' is not in topics (in, spare): the sink would never receive its records",
    ]);
    assert.deepEqual(check.notes, [
      "topics: no sink writes the records of 'in'",
      "topics: no sink writes the records of 'spare'",
    ]);
  });

  it("refuses a sink without a topic or a connection string", () => {
    assert.deepEqual(
      problems(checkConnectorConfig({ ...sink, "sinks.w.topic": undefined, "sinks.w.connectionString": undefined })),
      [
        "sinks.w.connectionString: missing: every sink listed in sinks needs one",
        "sinks.w.topic: missing: a sink names the topic whose records it writes",
      ],
    );
  });

  it("checks retries and timeout as numbers of PLC4X's units", () => {
    const { config } = loaded(checkConnectorConfig({ ...sink, "sinks.w.retries": "0", "sinks.w.timeout": "250" }));
    assert.deepEqual([config.sinks[0]?.retries, config.sinks[0]?.timeoutMs], [0, 250]);
    assert.deepEqual(problems(checkConnectorConfig({ ...sink, "sinks.w.retries": "-1" })), [
      "sinks.w.retries: -1 is out of range; expected 0..100",
    ]);
  });
});
