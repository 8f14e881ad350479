// Authenticated, encrypted Kafka: SASL/SCRAM (and PLAIN) over TLS against a real broker configured for it.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  createAdmin,
  createConsumer,
  createProducer,
  explainKafkaError,
  type KafkaConfig,
  kafkaConfigFromEnv,
  type RunningBroker,
  startBroker,
  stringDeserializers,
  stringSerializers,
} from "../../src/kafka/index.ts";
import { uniqueTopic } from "../support/kafka.ts";
import { makeKeystore, type TestKeystore } from "../support/tls.ts";

// The shared test broker speaks PLAINTEXT only, so this file runs a broker with a SASL_SSL listener of its own.
let dir: string;
let broker: RunningBroker;
let keystore: TestKeystore;
let saslSsl: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "fabrik-sasl-"));
  keystore = await makeKeystore(dir);
  broker = await startBroker({
    dir: join(dir, "broker"),
    heapMb: 384,
    saslSsl: {
      keystore: { path: keystore.path, password: keystore.password },
      scramUsers: [
        { mechanism: "SCRAM-SHA-256", username: "line-1", password: "s3cret-256" },
        { mechanism: "SCRAM-SHA-512", username: "line-2", password: "s3cret-512" },
      ],
      plainUsers: { historian: "plain-secret" },
    },
  });
  saslSsl = broker.saslSslBootstrap ?? "";
  const admin = createAdmin({ bootstrapServers: [broker.bootstrap] });
  await admin.createTopics({ topics: ["secured"], partitions: 1, replicas: 1 });
  await admin.close();
});

after(async () => {
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function roundTrip(config: KafkaConfig, value: string): Promise<string> {
  const producer = createProducer(config, { serializers: stringSerializers, retries: 0 });
  try {
    await producer.send({ messages: [{ topic: "secured", key: "k", value }] });
  } finally {
    await producer.close();
  }
  const consumer = createConsumer(config, { groupId: uniqueTopic("sasl"), deserializers: stringDeserializers });
  try {
    const stream = await consumer.consume({ topics: ["secured"], mode: "earliest" });
    for await (const message of stream) {
      if (message.value === value) {
        await stream.close();
        return message.value;
      }
    }
    throw new Error("the stream ended without the record");
  } finally {
    await consumer.close();
  }
}

const tls = () => ({ ca: keystore.certificatePem });

for (const [mechanism, username, password] of [
  ["SCRAM-SHA-256", "line-1", "s3cret-256"],
  ["SCRAM-SHA-512", "line-2", "s3cret-512"],
  ["PLAIN", "historian", "plain-secret"],
] as const) {
  test(`${mechanism} over TLS: a record goes through with the right password`, async () => {
    const value = `hello over ${mechanism}`;
    const config: KafkaConfig = { bootstrapServers: [saslSsl], tls: tls(), sasl: { mechanism, username, password } };
    assert.equal(await roundTrip(config, value), value);
  });
}

test("the environment's SASL_SSL settings reach the broker", async () => {
  const ca = join(dir, "ca.pem");
  await writeFile(ca, keystore.certificatePem);
  const config = kafkaConfigFromEnv({
    KAFKA_BOOTSTRAP_SERVERS: saslSsl,
    KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
    KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
    KAFKA_SASL_USERNAME: "line-2",
    KAFKA_SASL_PASSWORD: "s3cret-512",
    KAFKA_SSL_CA_LOCATION: ca,
  });
  assert.ok(config);
  assert.equal(await roundTrip(config, "configured from the environment"), "configured from the environment");
});

test("a wrong SCRAM password is refused by the broker", async () => {
  const config: KafkaConfig = {
    bootstrapServers: [saslSsl],
    tls: tls(),
    sasl: { mechanism: "SCRAM-SHA-256", username: "line-1", password: "wrong" },
  };
  const admin = createAdmin(config, { retries: 0 });
  await assert.rejects(admin.listTopics(), (error: unknown) => {
    assert.match(explainKafkaError(error), /invalid credentials with SASL mechanism SCRAM-SHA-256/);
    return true;
  });
  await admin.close();
});

test("a broker certificate nobody vouches for is refused by the client", async () => {
  const config: KafkaConfig = {
    bootstrapServers: [saslSsl],
    tls: true,
    sasl: { mechanism: "SCRAM-SHA-256", username: "line-1", password: "s3cret-256" },
  };
  const admin = createAdmin(config, { retries: 0 });
  await assert.rejects(admin.listTopics(), (error: unknown) => {
    assert.match(explainKafkaError(error), /self-signed certificate/);
    return true;
  });
  await admin.close();
});
