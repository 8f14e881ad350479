// The files a local broker starts from: cluster ids the storage tool accepts, and server.properties.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newClusterId, serverProperties } from "../../src/kafka/broker-config.ts";

test("a cluster id never starts with '-', which Kafka's storage tool would take for an option", () => {
  // 0xF8 as the first byte encodes to "-" in URL-safe base64; the first draw must be rejected.
  const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
  const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16));
  assert.equal(Buffer.alloc(16, 0xf8).toString("base64url")[0], "-");
  assert.equal(id, Buffer.alloc(16, 0x01).toString("base64url"));
  assert.equal(draws.length, 0, "drew twice");
  for (let i = 0; i < 2000; i++) assert.match(newClusterId(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
});

test("server.properties: one KRaft node on loopback, PLAINTEXT only unless SASL_SSL is asked for", () => {
  const text = serverProperties({
    dir: "/data/k",
    host: "127.0.0.1",
    port: 9092,
    controllerPort: 9093,
    saslSslPort: undefined,
  });
  const props = Object.fromEntries(
    text
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  assert.equal(props["process.roles"], "broker,controller");
  assert.equal(props["controller.quorum.voters"], "1@127.0.0.1:9093");
  assert.equal(props.listeners, "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
  assert.equal(props["advertised.listeners"], "PLAINTEXT://127.0.0.1:9092");
  assert.equal(props["log.dirs"], "/data/k/data");
  assert.equal(props["sasl.enabled.mechanisms"], undefined);
});

test("server.properties: a SASL_SSL listener with SCRAM and PLAIN users, and overrides win", () => {
  const text = serverProperties({
    dir: "/d",
    host: "127.0.0.1",
    port: 1,
    controllerPort: 2,
    saslSslPort: 3,
    saslSsl: { keystore: { path: "/ks.p12", password: "pw" }, plainUsers: { alice: "a-pw" } },
    config: { "num.partitions": 6 },
  });
  assert.match(
    text,
    /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:1,CONTROLLER:\/\/127\.0\.0\.1:2,SASL_SSL:\/\/127\.0\.0\.1:3$/m,
  );
  assert.match(text, /^ssl\.keystore\.location=\/ks\.p12$/m);
  assert.match(
    text,
    /^listener\.name\.sasl_ssl\.plain\.sasl\.jaas\.config=.*PlainLoginModule required user_alice="a-pw";$/m,
  );
  assert.match(text, /^num\.partitions=6$/m);
  assert.doesNotMatch(text, /^num\.partitions=1$/m);
});
