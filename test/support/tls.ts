// A throwaway TLS identity for a test broker: a self-signed certificate for 127.0.0.1 made with the JDK's keytool.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { findJava } from "../../src/kafka/index.ts";

export interface TestKeystore {
  readonly path: string;
  readonly password: string;
  /** The certificate in PEM, to give clients as their trusted authority. */
  readonly certificatePem: string;
}

export async function makeKeystore(dir: string): Promise<TestKeystore> {
  const java = await findJava();
  const keytool = java.path === "java" ? "keytool" : join(dirname(java.path), "keytool");
  const path = join(dir, "broker.p12");
  const password = "test-keystore-secret";
  const run = promisify(execFile);
  await run(keytool, [
    "-genkeypair",
    "-alias",
    "broker",
    "-keyalg",
    "RSA",
    "-keysize",
    "2048",
    "-dname",
    "CN=127.0.0.1",
    "-ext",
    "SAN=ip:127.0.0.1,dns:localhost",
    "-validity",
    "2",
    "-keystore",
    path,
    "-storetype",
    "PKCS12",
    "-storepass",
    password,
    "-keypass",
    password,
  ]);
  const pem = join(dir, "broker.pem");
  await run(keytool, [
    "-exportcert",
    "-rfc",
    "-alias",
    "broker",
    "-keystore",
    path,
    "-storepass",
    password,
    "-file",
    pem,
  ]);
  return { path, password, certificatePem: await readFile(pem, "utf8") };
}
