// Finding Java and Kafka: every way it can go wrong says what is wrong and how to fix it. Fake java/mvn scripts stand
// in for the real ones so each failure can be produced on any machine.
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { findJava, KafkaError, type KafkaErrorCode, resolveKafka } from "../../src/kafka/index.ts";

const root = await mkdtemp(join(tmpdir(), "fabrik-dist-"));
after(() => rm(root, { recursive: true, force: true }));

/** A folder holding executable scripts `name` → body, and an environment whose PATH is only that folder. */
async function fakeTools(name: string, scripts: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  const bin = join(root, name, "bin");
  await mkdir(bin, { recursive: true });
  for (const [tool, body] of Object.entries(scripts)) {
    await writeFile(join(bin, tool), `#!/bin/sh\n${body}\n`);
    await chmod(join(bin, tool), 0o755);
  }
  return { PATH: bin, FABRIK_CACHE_DIR: join(root, name, "cache"), HOME: root };
}

const JAVA_17 = `echo 'openjdk version "17.0.15" 2025-04-15' >&2`;

function kafkaError(code: KafkaErrorCode, message: RegExp, hint?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof KafkaError, `a KafkaError, got ${error}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    if (hint) assert.match(error.hint ?? "", hint);
    return true;
  };
}

test("Java is found and its major version read (both version styles)", async () => {
  assert.equal((await findJava(await fakeTools("j17", { java: JAVA_17 }))).major, 17);
  const j21 = await fakeTools("j21", { java: `echo 'openjdk version "21" 2023-09-19' >&2` });
  assert.equal((await findJava(j21)).major, 21);
});

test("no Java: says Java 17+ is needed and how to get it", async () => {
  const env = { PATH: join(root, "empty"), HOME: root };
  await assert.rejects(
    findJava(env),
    kafkaError("JAVA_MISSING", /Java was not found/, /openjdk-17|KAFKA_BOOTSTRAP_SERVERS/),
  );
});

test("a JAVA_HOME without bin/java is named", async () => {
  const env = { JAVA_HOME: join(root, "not-a-jdk"), PATH: join(root, "empty") };
  await assert.rejects(findJava(env), kafkaError("JAVA_MISSING", /not-a-jdk\/bin\/java/, /JAVA_HOME is '.*not-a-jdk'/));
});

test("Java 8 or 11 is too old for Kafka 4", async () => {
  const j8 = await fakeTools("j8", { java: `echo 'java version "1.8.0_392"' >&2` });
  await assert.rejects(findJava(j8), kafkaError("JAVA_TOO_OLD", /Java 8 was found/));
  const j11 = await fakeTools("j11", { java: `echo 'openjdk version "11.0.2"' >&2` });
  await assert.rejects(findJava(j11), kafkaError("JAVA_TOO_OLD", /Java 11 was found .* needs Java 17 or newer/));
});

test("no Maven and no KAFKA_HOME: says how to get Kafka another way", async () => {
  const env = await fakeTools("no-mvn", { java: JAVA_17 });
  await assert.rejects(
    resolveKafka({ env }),
    kafkaError("MAVEN_MISSING", /Maven \('mvn'\) was not found/, /KAFKA_HOME|apt-get install maven/),
  );
});

test("Maven failing to fetch: its error lines are shown, nothing half-fetched is kept", async () => {
  const env = await fakeTools("mvn-fails", {
    java: JAVA_17,
    mvn: `echo '[INFO] Scanning for projects...'; echo '[ERROR] Failed to execute goal: Could not transfer artifact from central'; exit 1`,
  });
  await assert.rejects(
    resolveKafka({ env }),
    kafkaError(
      "FETCH_FAILED",
      /mvn exited with 1\):\n\[ERROR\] Failed to execute goal: Could not transfer/,
      /Maven Central/,
    ),
  );
  await assert.rejects(
    resolveKafka({ env }),
    kafkaError("FETCH_FAILED", /Could not transfer/),
    "tried again, not taken from a broken cache",
  );
});

test("a fetch is reported while it runs and cached once complete", async () => {
  const env = await fakeTools("mvn-ok", {
    java: JAVA_17,
    // Writes one jar into the -DoutputDirectory it is given, the way dependency:copy-dependencies does.
    mvn: `for a in "$@"; do case "$a" in -DoutputDirectory=*) out="\${a#-DoutputDirectory=}";; esac; done
echo "Downloaded from central: https://repo/kafka_2.13-4.1.2.jar (6 MB at 1 MB/s)"
    : > "$out/kafka_2.13-4.1.2.jar"`,
  });
  const lines: string[] = [];
  const dist = await resolveKafka({ env, onProgress: (line) => lines.push(line) });
  assert.equal(dist.source, "maven");
  assert.match(dist.classpath, /kafka-4\.1\.2\/libs\/\*$/);
  assert.deepEqual(lines.slice(1), [
    "fetching Apache Kafka 4.1.2 from Maven Central: 1 files, 6.0 MB so far",
    "fetched Apache Kafka 4.1.2 (1 jars)",
  ]);
  const again: string[] = [];
  await resolveKafka({ env: { ...env, PATH: join(root, "j17", "bin") }, onProgress: (l) => again.push(l) });
  assert.deepEqual(again, [], "the second time nothing is fetched (and Maven, now off the PATH, is not needed)");
});

test("KAFKA_HOME: its libs are used and its version read; a wrong folder is named", async () => {
  const env = await fakeTools("home", { java: JAVA_17 });
  const home = join(root, "kafka_2.13-3.9.1");
  await mkdir(join(home, "libs"), { recursive: true });
  await writeFile(join(home, "libs", "kafka_2.13-3.9.1.jar"), "");
  const dist = await resolveKafka({ env: { ...env, KAFKA_HOME: home } });
  assert.deepEqual([dist.source, dist.version, dist.classpath], ["KAFKA_HOME", "3.9.1", join(home, "libs", "*")]);
  await assert.rejects(
    resolveKafka({ env: { ...env, KAFKA_HOME: root } }),
    kafkaError(
      "KAFKA_HOME_INVALID",
      /KAFKA_HOME is '.*', but .*libs holds no kafka_<scala>-<version>\.jar/,
      /unpacked Apache Kafka distribution/,
    ),
  );
});
