// Loads user-defined functions (UDF, UDAF, UDTF) from a folder of TypeScript/JavaScript modules into a registry.

import { readdir } from "node:fs/promises";
import { join, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";
import { SqlFunctionError } from "../types/errors.ts";
import { parseTypeText } from "../types/type-text.ts";
import type { FunctionRegistry } from "./registry.ts";
import type { FunctionDescription, FunctionKind, ParamType } from "./signature.ts";

/*
 * A module's default export is one description or an array of them:
 *   { name, kind: "scalar" | "aggregate" | "table", description, signatures: [{ params, returns, impl? | create? }],
 *     impl? }
 * Types are SqlType objects or text ("DOUBLE", "ARRAY<STRING>"); a single capital letter (T, U) is a generic.
 * A top-level `impl` serves every signature that has none of its own.
 */

const KINDS = new Set<FunctionKind>(["scalar", "aggregate", "table"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GENERIC = /^[A-Z][0-9]?$/;

/** Registers every `*.ts`/`*.js` module of `dir` (tests and declarations excluded); returns the names registered. */
export async function loadUserFunctions(dir: string, registry: FunctionRegistry): Promise<string[]> {
  const folder = resolvePath(dir);
  let files: string[];
  try {
    files = (await readdir(folder)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !/\.(d|test)\.ts$/.test(f)).sort();
  } catch (error) {
    throw new SqlFunctionError("SQL_UDF_INVALID", `cannot read user function folder ${folder}`, {
      subject: folder,
      cause: error,
    });
  }
  const loaded: string[] = [];
  for (const file of files) {
    const path = join(folder, file);
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(path).href)) as { default?: unknown };
    } catch (error) {
      throw invalid(path, `cannot be imported: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    if (module.default === undefined)
      throw invalid(path, "has no default export (a function description or an array of them)");
    const exported = Array.isArray(module.default) ? module.default : [module.default];
    for (const [i, raw] of exported.entries()) {
      const description = normalize(path, raw, exported.length > 1 ? `export #${i}` : "default export");
      try {
        registry.register(description, { kind: "user", path });
      } catch (error) {
        throw invalid(path, error instanceof Error ? error.message : String(error), error);
      }
      loaded.push(description.name.toUpperCase());
    }
  }
  return loaded;
}

function invalid(path: string, why: string, cause?: unknown): SqlFunctionError {
  return new SqlFunctionError("SQL_UDF_INVALID", `user function module ${path} ${why}`, { subject: path, cause });
}

type Raw = Record<string, unknown>;

function normalize(path: string, raw: unknown, where: string): FunctionDescription {
  const fail = (why: string): never => {
    throw invalid(path, `(${where}) ${why}`);
  };
  if (typeof raw !== "object" || raw === null) return fail("is not an object");
  const d = raw as Raw;
  if (typeof d.name !== "string" || !NAME.test(d.name)) fail("needs a `name` that is an identifier");
  if (!KINDS.has(d.kind as FunctionKind)) fail('needs `kind`: "scalar", "aggregate" or "table"');
  if (typeof d.description !== "string") fail("needs a `description` string");
  if (!Array.isArray(d.signatures) || d.signatures.length === 0) fail("needs a non-empty `signatures` array");
  const kind = d.kind as FunctionKind;
  const signatures = (d.signatures as unknown[]).map((s, i) => {
    const sig = (typeof s === "object" && s !== null ? s : fail(`signature ${i} is not an object`)) as Raw;
    if (!Array.isArray(sig.params)) fail(`signature ${i} needs a \`params\` array`);
    const params = (sig.params as unknown[]).map((p) => paramType(p, (why) => fail(`signature ${i}: ${why}`)));
    const returns =
      typeof sig.returns === "function"
        ? sig.returns
        : paramType(sig.returns, (why) => fail(`signature ${i} returns: ${why}`));
    const impl = sig.impl ?? d.impl;
    if (kind === "aggregate" && typeof (sig.create ?? d.create) !== "function")
      fail(`signature ${i} needs a \`create\` function`);
    if (kind !== "aggregate" && typeof impl !== "function") fail(`signature ${i} needs an \`impl\` function`);
    return { ...sig, params, returns, ...(kind === "aggregate" ? { create: sig.create ?? d.create } : { impl }) };
  });
  return { name: d.name, kind, description: d.description, category: "user", signatures } as FunctionDescription;
}

function paramType(value: unknown, fail: (why: string) => never): ParamType {
  if (typeof value === "string") {
    if (GENERIC.test(value) && value !== "T0") return { kind: "GENERIC", name: value };
    try {
      return parseTypeText(value);
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  }
  if (typeof value === "object" && value !== null && typeof (value as Raw).kind === "string") return value as ParamType;
  return fail(`type ${JSON.stringify(value)} is neither type text nor a type object`);
}
