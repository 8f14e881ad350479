// Runs the test suite: unit tests alone, or everything with one real Kafka broker shared by all integration tests.
//   node test/run.ts                 every test; starts a broker unless KAFKA_BOOTSTRAP_SERVERS names a cluster
//   node test/run.ts --unit          unit tests only (no Kafka, no Java)
//   node test/run.ts <files...>      just these test files
//   --bootstrap=host:port            use that cluster (as KAFKA_BOOTSTRAP_SERVERS does)
// Browser tests (`*.e2e.test.ts`: the demo and Chromium) run after the others, one file at a time, so that they neither
// share the demo's topics and groups with another demo nor compete for the CPU with the rest of the suite.
import { spawn } from "node:child_process";
import { globSync } from "node:fs";
import { KafkaError, type UsedKafka, useKafka } from "../src/kafka/index.ts";

const args = process.argv.slice(2);
// --bootstrap=host:port uses an existing cluster, as KAFKA_BOOTSTRAP_SERVERS does.
const bootstrap = args.find((a) => a.startsWith("--bootstrap="));
if (bootstrap) process.env.KAFKA_BOOTSTRAP_SERVERS = bootstrap.slice("--bootstrap=".length);
const unitOnly = args.includes("--unit");
const named = args.filter((a) => !a.startsWith("--"));
const files = (named.length > 0 ? named : globSync("test/**/*.test.ts")).sort();
const selected = unitOnly ? files.filter((f) => !isIntegration(f)) : files;
const needsKafka = selected.some(isIntegration);

function isIntegration(file: string): boolean {
  return file.endsWith(".int.test.ts") || isBrowserTest(file);
}

function isBrowserTest(file: string): boolean {
  return file.endsWith(".e2e.test.ts");
}

let kafka: UsedKafka | undefined;
const env = { ...process.env };

async function setUpKafka(): Promise<void> {
  const started = Date.now();
  kafka = await useKafka({ onProgress: (line) => console.log(`test: ${line}`) });
  env.KAFKA_BOOTSTRAP_SERVERS = kafka.config.bootstrapServers.join(",");
  console.log(`test: using ${kafka.description} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function runTests(files: readonly string[], concurrency: number, timeoutMs: number): Promise<number> {
  if (files.length === 0) return Promise.resolve(0);
  const options = [`--test-concurrency=${concurrency}`, `--test-timeout=${timeoutMs}`];
  const child = spawn(process.execPath, ["--test", ...options, ...files], {
    stdio: "inherit",
    env,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      // The next phase's child gets Ctrl-C from its own listeners.
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

let code = 1;
try {
  if (selected.length === 0) throw new Error(`no test files matched ${named.join(" ") || "test/**/*.test.ts"}`);
  if (needsKafka) await setUpKafka();
  const others = await runTests(
    selected.filter((f) => !isBrowserTest(f)),
    3,
    180_000,
  );
  const browser = await runTests(selected.filter(isBrowserTest), 1, 600_000);
  code = others !== 0 ? others : browser;
} catch (error) {
  console.error(`test: ${error instanceof KafkaError ? error.describe() : error}`);
} finally {
  await kafka?.stop();
}
process.exit(code);
