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

/** One variation in ksqlDB's shape; a parameter without a declared label is named by its position, as ksqlDB does. */
function variation(signature: FunctionInfo["signatures"][number]) {
  const args: FunctionArgumentInfo[] = signature.params.map((param, index) => ({
    name: param.name ?? `arg${index + 1}`,
    type: param.type,
    description: "",
    isVariadic: param.variadic,
  }));
  return {
    arguments: args,
    returnType: signature.returns,
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
