// The files a local broker runs from: server.properties (KRaft, one node, optional SASL_SSL listener) and log4j2.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { BrokerOptions } from "./broker.ts";

export const LOG4J2 = `# Written by Fabrik: Kafka logs to standard output, which Fabrik sends to server.log.
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.state.name = state.change.logger
logger.state.level = WARN
`;

export function serverProperties(
  o: BrokerOptions & { host: string; port: number; controllerPort: number; saslSslPort: number | undefined },
): string {
  const listeners = [`PLAINTEXT://${o.host}:${o.port}`, `CONTROLLER://${o.host}:${o.controllerPort}`];
  const advertised = [`PLAINTEXT://${o.host}:${o.port}`];
  const props: Record<string, string | number | boolean> = {
    "process.roles": "broker,controller",
    "node.id": 1,
    "controller.quorum.voters": `1@${o.host}:${o.controllerPort}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
    "log.dirs": join(o.dir, "data"),
    "num.partitions": 1,
    "offsets.topic.replication.factor": 1,
    "offsets.topic.num.partitions": 10,
    "transaction.state.log.replication.factor": 1,
    "transaction.state.log.min.isr": 1,
    "transaction.state.log.num.partitions": 10,
    "share.coordinator.state.topic.replication.factor": 1,
    "share.coordinator.state.topic.min.isr": 1,
    "group.initial.rebalance.delay.ms": 0,
  };
  if (o.saslSsl && o.saslSslPort) {
    const s = o.saslSsl;
    listeners.push(`SASL_SSL://${o.host}:${o.saslSslPort}`);
    advertised.push(`SASL_SSL://${o.host}:${o.saslSslPort}`);
    const plain = Object.entries(s.plainUsers ?? {})
      .map(([user, password]) => ` user_${user}="${password}"`)
      .join("");
    Object.assign(props, {
      "sasl.enabled.mechanisms": "SCRAM-SHA-256,SCRAM-SHA-512,PLAIN",
      "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config":
        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
      "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config":
        "org.apache.kafka.common.security.scram.ScramLoginModule required;",
      "listener.name.sasl_ssl.plain.sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required${plain};`,
      "ssl.keystore.location": s.keystore.path,
      "ssl.keystore.password": s.keystore.password,
      "ssl.key.password": s.keystore.password,
      "ssl.keystore.type": s.keystore.type ?? "PKCS12",
    });
  }
  props.listeners = listeners.join(",");
  props["advertised.listeners"] = advertised.join(",");
  Object.assign(props, o.config);
  const lines = Object.entries(props).map(([k, v]) => `${k}=${v}`);
  return `# Written by Fabrik at every start; edit BrokerOptions.config instead.\n${lines.join("\n")}\n`;
}

/**
 * A new Kafka cluster id: 16 random bytes in URL-safe base64 without padding. One that starts with "-" is drawn again,
 * as Kafka's own generator does, because the storage tool would read it as an option (about 1 id in 64).
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}
