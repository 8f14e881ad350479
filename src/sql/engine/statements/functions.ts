// SHOW FUNCTIONS and DESCRIBE FUNCTION: the registry's functions in ksqlDB's shapes.

import { FABRIK_VERSION } from "../../../version.ts";
import type { FunctionInfo, FunctionRegistry } from "../../functions/registry.ts";
import type { FunctionArgumentInfo, KsqlEntity } from "../entities.ts";

function typeName(info: FunctionInfo): "SCALAR" | "AGGREGATE" | "TABLE" {
  return info.kind === "aggregate" ? "AGGREGATE" : info.kind === "table" ? "TABLE" : "SCALAR";
}

export function showFunctions(statementText: string, registry: FunctionRegistry): KsqlEntity {
  return {
    "@type": "function_names",
    statementText,
    warnings: [],
    functions: registry.list().map((info) => ({
      name: info.name,
      type: typeName(info),
      category: info.category.toUpperCase(),
    })),
  };
}

/** Splits `a, b` at commas outside <> and (): parameters have types like MAP<STRING, DECIMAL(4, 2)>. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === "(") depth++;
    // The `>` of a lambda's `=>` closes nothing.
    else if ((c === ">" && text[i - 1] !== "=") || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== "") parts.push(last);
  return parts;
}

/**
 * One variation from the registry's signature line `NAME(label TYPE, TYPE...) => RETURNS`: the registry describes
 * signatures as text, so the arguments are read back from it (a label is a lower-case word before the type).
 */
function variation(signature: { readonly text: string; readonly description: string | undefined }) {
  const open = signature.text.indexOf("(");
  const arrow = signature.text.lastIndexOf(") => ");
  const params = open < 0 || arrow < open ? "" : signature.text.slice(open + 1, arrow);
  const returnType = arrow < 0 ? "" : signature.text.slice(arrow + ") => ".length);
  const args: FunctionArgumentInfo[] = splitTopLevel(params).map((param, index) => {
    const isVariadic = param.endsWith("...");
    const bare = isVariadic ? param.slice(0, -3) : param;
    const labelled = /^([a-z_][A-Za-z0-9_]*) (.+)$/.exec(bare);
    return {
      name: labelled?.[1] ?? `arg${index + 1}`,
      type: labelled?.[2] ?? bare,
      description: "",
      isVariadic,
    };
  });
  return {
    arguments: args,
    returnType,
    description: signature.description ?? "",
    argumentTypes: args.map((a) => a.type),
  };
}

/** DESCRIBE FUNCTION; an unknown name throws the registry's SQL_UNKNOWN_FUNCTION with a did-you-mean. */
export function describeFunction(statementText: string, registry: FunctionRegistry, name: string): KsqlEntity {
  const info = registry.describe(name);
  const user = info.source.kind === "user";
  return {
    "@type": "describe_function",
    statementText,
    warnings: [],
    name: info.name,
    description: info.description,
    author: user ? "" : "Fabrik",
    // Every built-in function is as old as Fabrik itself.
    version: user ? "" : FABRIK_VERSION,
    path: info.source.kind === "user" ? info.source.path : "internal",
    type: typeName(info),
    functions: info.signatures.map(variation),
  };
}
