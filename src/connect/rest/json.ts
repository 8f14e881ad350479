// JSON text for REST answers in which 64-bit PLC integers (bigint) stay exact numbers instead of failing or rounding.

// JSON.rawJSON is in every Node Fabrik supports (>= 22) but not yet in TypeScript's es2024 lib.
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

function keepBigintsExact(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? rawJson(value.toString()) : value;
}

/** Like JSON.stringify, but a bigint is written as its digits (`{"count":18446744073709551615}`). */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, keepBigintsExact) ?? "null";
}
