// Runs the test suite: unit tests alone, or everything with one real Kafka broker shared by all integration tests.
//   node test/run.ts                 every test; starts a broker unless KAFKA_BOOTSTRAP_SERVERS names a cluster
//   node test/run.ts --unit          unit tests only (no Kafka, no Java)
//   node test/run.ts <files...>      just these test files
import { spawn } from "node:child_process";
import { globSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KafkaError, kafkaConfigFromEnv, type RunningBroker, startBroker } from "../src/kafka/index.ts";

const args = process.argv.slice(2);
const unitOnly = args.includes("--unit");
const named = args.filter((a) => !a.startsWith("--"));
const files = (named.length > 0 ? named : globSync("test/**/*.test.ts")).sort();
const selected = unitOnly ? files.filter((f) => !isIntegration(f)) : files;
const needsKafka = selected.some(isIntegration);

function isIntegration(file: string): boolean {
  return file.endsWith(".int.test.ts");
}

let broker: RunningBroker | undefined;
let brokerDir: string | undefined;
const env = { ...process.env };

async function setUpKafka(): Promise<void> {
  const external = kafkaConfigFromEnv();
  if (external) {
    console.log(`test: using the Kafka cluster at ${external.bootstrapServers.join(",")} (KAFKA_BOOTSTRAP_SERVERS)`);
    return;
  }
  brokerDir = await mkdtemp(join(tmpdir(), "fabrik-test-kafka-"));
  const started = Date.now();
  broker = await startBroker({ dir: brokerDir, onProgress: (line) => console.log(`test: ${line}`) });
  env.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrap;
  console.log(`test: Kafka ready at ${broker.bootstrap} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function tearDown(): Promise<void> {
  await broker?.stop();
  if (brokerDir) await rm(brokerDir, { recursive: true, force: true });
}

function runTests(): Promise<number> {
  const child = spawn(process.execPath, ["--test", "--test-concurrency=3", "--test-timeout=180000", ...selected], {
    stdio: "inherit",
    env,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

let code = 1;
try {
  if (selected.length === 0) throw new Error(`no test files matched ${named.join(" ") || "test/**/*.test.ts"}`);
  if (needsKafka) await setUpKafka();
  code = await runTests();
} catch (error) {
  console.error(`test: ${error instanceof KafkaError ? error.describe() : error}`);
} finally {
  await tearDown();
}
process.exit(code);
