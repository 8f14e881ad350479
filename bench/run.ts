// Runs benchmarks: `npm run bench [name...] [-- --quick]`. Prints each table and writes bench/results/<name>-<time>.json.
import { globSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { basename, join } from "node:path";
import { KafkaError, type UsedKafka, useKafka } from "../src/kafka/index.ts";
import { type Benchmark, formatTable } from "./support/benchmark.ts";

const args = process.argv.slice(2);
// --bootstrap=host:port uses an existing cluster, as KAFKA_BOOTSTRAP_SERVERS does.
const bootstrap = args.find((a) => a.startsWith("--bootstrap="));
if (bootstrap) process.env.KAFKA_BOOTSTRAP_SERVERS = bootstrap.slice("--bootstrap=".length);
const quick = args.includes("--quick");
const available = globSync("bench/*.ts")
  .map((f) => basename(f, ".ts"))
  .filter((n) => n !== "run")
  .sort();
const names = args.filter((a) => !a.startsWith("--"));
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`bench: no benchmark '${name}'. Available: ${available.join(", ")}`);
    process.exit(2);
  }
}

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};
const log = (line: string) => console.error(`bench: ${line}`);

let kafka: UsedKafka | undefined;
let failed = false;
try {
  for (const name of names.length > 0 ? names : available) {
    const benchmark = (await import(`./${name}.ts`)).default as Benchmark;
    if (benchmark.needsKafka && !kafka) {
      kafka = await useKafka({ heapMb: 1024, onProgress: log });
      log(`using ${kafka.description}`);
    }
    log(`${benchmark.name}: ${benchmark.description}${quick ? " (quick run: not a measurement)" : ""}`);
    const started = new Date();
    const tables = await benchmark.run({ kafka: benchmark.needsKafka ? kafka : undefined, log, quick });
    console.log(
      `\n# ${benchmark.name} — ${started.toISOString()} — ${machine.cpu}, ${machine.cores} cores, ${machine.node}\n`,
    );
    for (const table of tables) console.log(`${formatTable(table)}\n`);
    await mkdir("bench/results", { recursive: true });
    const file = join("bench/results", `${benchmark.name}-${started.toISOString().replace(/[:.]/g, "-")}.json`);
    const command = `npm run bench ${benchmark.name}${quick ? " -- --quick" : ""}`;
    await writeFile(
      file,
      `${JSON.stringify({ benchmark: benchmark.name, date: started.toISOString(), command, machine, quick, tables }, null, 2)}\n`,
    );
    log(`results written to ${file}`);
  }
} catch (error) {
  failed = true;
  console.error(`bench: ${error instanceof KafkaError ? error.describe() : (error as Error).stack}`);
} finally {
  await kafka?.stop();
}
process.exit(failed ? 1 : 0);
