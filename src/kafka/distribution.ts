// Finds Java and the Apache Kafka jars: from KAFKA_HOME, or fetched once from Maven Central with Maven and cached.
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { KafkaError } from "./errors.ts";

/** The Apache Kafka release Fabrik fetches when KAFKA_HOME is not set. */
export const KAFKA_VERSION = "4.1.2";

const POM = fileURLToPath(new URL("../../tools/kafka/pom.xml", import.meta.url));
const COMPLETE_MARKER = ".complete";

export interface Java {
  readonly path: string;
  readonly major: number;
}

export interface KafkaDistribution {
  readonly version: string;
  /** A Java classpath entry (`dir/*`) holding every jar needed. */
  readonly classpath: string;
  readonly source: "KAFKA_HOME" | "maven";
  readonly java: Java;
}

export interface ResolveOptions {
  /** Also make Kafka's command-line tools available (ProducerPerformance, ...). */
  readonly tools?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Called with one-line progress messages while jars are downloaded. */
  readonly onProgress?: (line: string) => void;
}

/** Where downloads are cached: FABRIK_CACHE_DIR, else $XDG_CACHE_HOME/fabrik, else ~/.cache/fabrik. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FABRIK_CACHE_DIR) return env.FABRIK_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "fabrik");
}

export async function findJava(env: NodeJS.ProcessEnv = process.env): Promise<Java> {
  const path = env.JAVA_HOME ? join(env.JAVA_HOME, "bin", "java") : "java";
  let output: string;
  try {
    const { stderr, stdout } = await promisify(execFile)(path, ["-version"], { env });
    output = stderr + stdout;
  } catch (error) {
    throw new KafkaError("JAVA_MISSING", `Java was not found (tried '${path}'): Apache Kafka needs Java 17 or newer.`, {
      hint: env.JAVA_HOME
        ? `JAVA_HOME is '${env.JAVA_HOME}' but has no bin/java: point it at a Java 17+ installation.`
        : "install Java 17+ (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME, or set KAFKA_BOOTSTRAP_SERVERS to use an existing cluster.",
      cause: error,
    });
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) {
    throw new KafkaError("JAVA_MISSING", `'${path} -version' did not print a version: ${output.trim().slice(0, 200)}`, {
      hint: "install Java 17+ or set JAVA_HOME to one.",
    });
  }
  // Java 8 and older call themselves 1.x.
  const major = match[1] === "1" ? Number(match[2]) : Number(match[1]);
  if (major < 17) {
    throw new KafkaError(
      "JAVA_TOO_OLD",
      `Java ${major} was found at '${path}', but Apache Kafka 4 needs Java 17 or newer.`,
      {
        hint: "install Java 17+ and put it first on PATH or set JAVA_HOME to it.",
      },
    );
  }
  return { path, major };
}

/** Finds (or fetches) the Kafka jars and a Java to run them. */
export async function resolveKafka(options: ResolveOptions = {}): Promise<KafkaDistribution> {
  const env = options.env ?? process.env;
  const java = await findJava(env);
  if (env.KAFKA_HOME) return fromKafkaHome(env.KAFKA_HOME, java);
  const dir = join(cacheDir(env), `kafka-${KAFKA_VERSION}`, options.tools ? "tools" : "libs");
  if (!existsSync(join(dir, COMPLETE_MARKER))) await fetchWithMaven(dir, options, env);
  return { version: KAFKA_VERSION, classpath: join(dir, "*"), source: "maven", java };
}

function fromKafkaHome(home: string, java: Java): KafkaDistribution {
  const libs = join(home, "libs");
  const jars = existsSync(libs) ? readdirSync(libs) : [];
  const core = jars.map((name) => /^kafka_[\d.]+-(\d[\w.-]*)\.jar$/.exec(name)).find((m) => m !== null);
  if (!core?.[1]) {
    throw new KafkaError(
      "KAFKA_HOME_INVALID",
      `KAFKA_HOME is '${home}', but ${libs} holds no kafka_<scala>-<version>.jar.`,
      {
        hint: "point KAFKA_HOME at an unpacked Apache Kafka distribution (the folder with bin/ and libs/), or unset it to let Fabrik fetch Kafka.",
      },
    );
  }
  return { version: core[1], classpath: join(libs, "*"), source: "KAFKA_HOME", java };
}

async function fetchWithMaven(dir: string, options: ResolveOptions, env: NodeJS.ProcessEnv): Promise<void> {
  const what = options.tools ? `Apache Kafka ${KAFKA_VERSION} tools` : `Apache Kafka ${KAFKA_VERSION}`;
  const progress = options.onProgress ?? (() => {});
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const args = [
    "-B",
    "-f",
    POM,
    ...(options.tools ? ["-Ptools"] : []),
    "dependency:copy-dependencies",
    `-Dkafka.version=${KAFKA_VERSION}`,
    "-DincludeScope=runtime",
    `-DoutputDirectory=${partial}`,
  ];
  progress(`fetching ${what} from Maven Central (once; cached in ${dir})`);
  // Maven reports every file; people need a line now and then, not hundreds.
  let lastReport = 0;
  const { code, output } = await runMaven(args, env, (files, bytes) => {
    if (Date.now() - lastReport < 2000) return;
    lastReport = Date.now();
    progress(`fetching ${what} from Maven Central: ${files} files, ${(bytes / 1e6).toFixed(1)} MB so far`);
  });
  if (code !== 0) {
    await rm(partial, { recursive: true, force: true });
    const tail =
      output
        .split("\n")
        .filter((l) => /ERROR|FAIL/.test(l))
        .slice(-8)
        .join("\n") || output.slice(-1500);
    throw new KafkaError("FETCH_FAILED", `Maven could not fetch ${what} (mvn exited with ${code}):\n${tail}`, {
      hint: "check that Maven Central is reachable (proxy settings in ~/.m2/settings.xml), or set KAFKA_HOME to an unpacked Apache Kafka distribution, or KAFKA_BOOTSTRAP_SERVERS to an existing cluster.",
    });
  }
  await writeFile(join(partial, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  progress(`fetched ${what} (${readdirSync(dir).length - 1} jars)`);
}

function runMaven(
  args: string[],
  env: NodeJS.ProcessEnv,
  onDownload: (files: number, bytes: number) => void,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("mvn", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let files = 0;
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (output.length > 200_000) output = output.slice(-100_000);
      // "Downloaded from central: https://…/x.jar (1.2 MB at 3.4 MB/s)"
      for (const match of text.matchAll(/^\s*(?:\[INFO\] )?Downloaded from \S+ \S+ \(([\d.]+) (B|kB|MB)/gm)) {
        files++;
        bytes += Number(match[1]) * (match[2] === "MB" ? 1e6 : match[2] === "kB" ? 1e3 : 1);
      }
      if (files > 0) onDownload(files, bytes);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        reject(
          new KafkaError("MAVEN_MISSING", "Maven ('mvn') was not found, and it is needed to fetch Apache Kafka.", {
            hint: "install Maven (Debian/Ubuntu: apt-get install maven), or set KAFKA_HOME to an unpacked Apache Kafka distribution, or KAFKA_BOOTSTRAP_SERVERS to an existing cluster.",
          }),
        );
      } else reject(error);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}
