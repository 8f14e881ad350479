// Kafka client configuration: bootstrap servers, security settings from the environment, and their errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAdmin, KafkaError, kafkaConfigFromEnv, parseHostPort, validate } from "../../src/kafka/index.ts";

function configError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof KafkaError, `a KafkaError, got ${error}`);
    assert.equal(error.code, "INVALID_KAFKA_CONFIG");
    assert.match(error.message, pattern);
    return true;
  };
}

test("host:port pairs parse, IPv6 in brackets too", () => {
  assert.deepEqual(parseHostPort("127.0.0.1:9092", "x"), { host: "127.0.0.1", port: 9092 });
  assert.deepEqual(parseHostPort(" kafka-1.plant.local:19092 ", "x"), { host: "kafka-1.plant.local", port: 19092 });
  assert.deepEqual(parseHostPort("[::1]:9092", "x"), { host: "::1", port: 9092 });
});

test("a bad bootstrap server names where it came from and what is wrong", () => {
  for (const bad of ["localhost", "localhost:", ":9092", "host:0", "host:70000", "host:port", "a b:1"]) {
    assert.throws(
      () => parseHostPort(bad, "KAFKA_BOOTSTRAP_SERVERS"),
      configError(/^KAFKA_BOOTSTRAP_SERVERS: '.*' is not host:port/),
    );
  }
});

test("no cluster is configured when KAFKA_BOOTSTRAP_SERVERS is unset or blank", () => {
  assert.equal(kafkaConfigFromEnv({}), undefined);
  assert.equal(kafkaConfigFromEnv({ KAFKA_BOOTSTRAP_SERVERS: "  " }), undefined);
});

test("plaintext from the environment: a list of servers and a client id", () => {
  assert.deepEqual(kafkaConfigFromEnv({ KAFKA_BOOTSTRAP_SERVERS: "a:1, b:2,", KAFKA_CLIENT_ID: "edge-7" }), {
    bootstrapServers: ["a:1", "b:2"],
    clientId: "edge-7",
    tls: undefined,
    sasl: undefined,
  });
});

test("SASL_SSL from the environment: mechanism, credentials and TLS", () => {
  const config = kafkaConfigFromEnv({
    KAFKA_BOOTSTRAP_SERVERS: "a:9093",
    KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
    KAFKA_SASL_USERNAME: "u",
    KAFKA_SASL_PASSWORD: "p",
  });
  assert.deepEqual(config?.sasl, { mechanism: "SCRAM-SHA-512", username: "u", password: "p" });
  assert.equal(config?.tls, true, "TLS with the system's authorities when no CA file is given");
});

test("environment mistakes are refused with the variable's name", () => {
  const base = { KAFKA_BOOTSTRAP_SERVERS: "a:1" };
  assert.throws(
    () => kafkaConfigFromEnv({ ...base, KAFKA_SECURITY_PROTOCOL: "TLS" }),
    configError(/^KAFKA_SECURITY_PROTOCOL: 'TLS' is not one of/),
  );
  assert.throws(
    () =>
      kafkaConfigFromEnv({
        ...base,
        KAFKA_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
        KAFKA_SASL_MECHANISM: "GSSAPI",
        KAFKA_SASL_USERNAME: "u",
      }),
    configError(/^KAFKA_SASL_MECHANISM: 'GSSAPI' is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/),
  );
  assert.throws(
    () => kafkaConfigFromEnv({ ...base, KAFKA_SECURITY_PROTOCOL: "SASL_SSL" }),
    configError(/^KAFKA_SASL_USERNAME is required with SASL_SSL/),
  );
  assert.throws(
    () => kafkaConfigFromEnv({ ...base, KAFKA_SECURITY_PROTOCOL: "SSL", KAFKA_SSL_CA_LOCATION: "/nonexistent/ca.pem" }),
    configError(/^KAFKA_SSL_CA_LOCATION: cannot read '\/nonexistent\/ca.pem'/),
  );
  assert.throws(() => kafkaConfigFromEnv({ KAFKA_BOOTSTRAP_SERVERS: "a:1,b" }), configError(/'b' is not host:port/));
});

test("configs made in code are checked before a client is made", () => {
  assert.throws(() => validate({ bootstrapServers: [] }), configError(/bootstrapServers is empty/));
  assert.throws(
    () => createAdmin({ bootstrapServers: ["a:1"], sasl: { mechanism: "PLAIN", username: "", password: "x" } }),
    configError(/sasl.username is empty/),
  );
});
