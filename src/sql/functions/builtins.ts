// The built-in function library, registered into a fresh registry.

import { aggregateFunctions } from "./aggregates.ts";
import { collectionFunctions } from "./collections.ts";
import { dateTimeFunctions } from "./datetime.ts";
import { jsonFunctions } from "./json.ts";
import { lambdaFunctions } from "./lambdas.ts";
import { mathFunctions } from "./math.ts";
import { nullFunctions } from "./nulls.ts";
import { FunctionRegistry } from "./registry.ts";
import type { FunctionDescription } from "./signature.ts";
import { stringFunctions } from "./strings.ts";
import { tableFunctions } from "./table.ts";

export const builtinFunctions: readonly FunctionDescription[] = [
  ...mathFunctions,
  ...stringFunctions,
  ...nullFunctions,
  ...dateTimeFunctions,
  ...jsonFunctions,
  ...collectionFunctions,
  ...lambdaFunctions,
  ...aggregateFunctions,
  ...tableFunctions,
];

/** A registry holding every built-in function; add user functions with `loadUserFunctions`. */
export function createBuiltinRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const description of builtinFunctions) registry.register(description);
  return registry;
}
