// Tests write-value checking: accepted forms normalise to what reads return; wrong type, range or length say why.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type DataTypeSpec, parseDataTypeSpec } from "../../src/plc/data-type-spec.ts";
import { InvalidValueError } from "../../src/plc/errors.ts";
import { coerceValue, describeRange, requireValue } from "../../src/plc/value-coercion.ts";
import type { PlcValue } from "../../src/plc/values.ts";

const spec = (text: string): DataTypeSpec => parseDataTypeSpec(text);

function accepts(type: string, value: unknown, expected: PlcValue): void {
  const result = coerceValue(spec(type), value);
  assert.deepEqual(result, { ok: true, value: expected }, `${type} should accept ${String(value)}`);
}

function rejects(type: string, value: unknown, message: string): void {
  const result = coerceValue(spec(type), value);
  assert.equal(result.ok, false, `${type} should reject ${String(value)}`);
  if (!result.ok) assert.equal(result.message, message);
}

describe("coerceValue", () => {
  it("takes booleans, and 1/0, for BOOL", () => {
    accepts("BOOL", true, true);
    accepts("BOOL", 0, false);
    accepts("BOOL", 1n, true);
    rejects("BOOL", 2, "expected true or false (or 1/0) for BOOL, got 2");
    rejects("BOOL", "true", 'expected true or false (or 1/0) for BOOL, got "true"');
  });

  it("checks integer ranges at both ends and returns numbers up to 32 bits", () => {
    accepts("INT", -32768, -32768);
    accepts("INT", 32767n, 32767);
    accepts("UDINT", 4294967295, 4294967295);
    accepts("SINT", -128, -128);
    rejects("INT", 32768, "32768 is out of range for INT (-32768..32767)");
    rejects("USINT", -1, "-1 is out of range for USINT (0..255)");
    rejects("BYTE", 256n, "256 is out of range for BYTE (0..255)");
    rejects("DINT", 1.5, "expected an integer for DINT, got 1.5");
    rejects("DINT", "12", 'expected an integer for DINT, got "12"');
    rejects("WORD", Number.NaN, "expected an integer for WORD, got NaN");
  });

  it("returns bigint for 64-bit types and takes decimal strings for them", () => {
    accepts("LINT", 5, 5n);
    accepts("LINT", "-9223372036854775808", -9223372036854775808n);
    accepts("ULINT", 18446744073709551615n, 18446744073709551615n);
    rejects("ULINT", -1n, "-1 is out of range for ULINT (0..18446744073709551615)");
    rejects(
      "LINT",
      "9223372036854775808",
      "9223372036854775808 is out of range for LINT (-9223372036854775808..9223372036854775807)",
    );
    rejects(
      "LWORD",
      2 ** 60,
      "1152921504606847000 is not exact as a JavaScript number; pass a bigint or a decimal string for LWORD",
    );
    rejects("LINT", "1e3", 'expected an integer (bigint, number or decimal string) for LINT, got "1e3"');
  });

  it("rounds REAL to single precision and refuses finite values beyond it", () => {
    accepts("REAL", 1.1, Math.fround(1.1));
    accepts("REAL", Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    accepts("LREAL", 1.1, 1.1);
    accepts("LREAL", 3n, 3);
    rejects("REAL", 1e39, "1e+39 is out of range for REAL (-3.4028234663852886e+38..3.4028234663852886e+38)");
    rejects("LREAL", "1.5", 'expected a number for LREAL, got "1.5"');
  });

  it("checks string lengths and 8-bit characters", () => {
    accepts("STRING(5)", "hello", "hello");
    accepts("STRING", "Größe", "Größe");
    accepts("WSTRING(2)", "€€", "€€");
    accepts("CHAR", "A", "A");
    rejects("STRING(4)", "hello", "5 characters do not fit in STRING(4) (at most 4)");
    rejects(
      "STRING",
      "5 €",
      'character "€" at index 2 does not fit in 8 bits; STRING holds Latin-1 text (use WSTRING)',
    );
    rejects("CHAR", "AB", 'expected exactly one character for CHAR, got "AB"');
    rejects("WCHAR", "", 'expected exactly one character for WCHAR, got ""');
    rejects("STRING", 5, "expected a string for STRING, got 5");
    // Long values are cut in messages so that one bad write cannot flood a log.
    rejects("INT", "x".repeat(50), `expected an integer for INT, got "${"x".repeat(40)}…"`);
  });

  it("takes durations as objects or numbers in the type's own unit", () => {
    accepts("TIME", 1500, { ms: 1500 });
    accepts("TIME", { ms: -5 }, { ms: -5 });
    accepts("TIME_OF_DAY", { ms: 86_399_999 }, { ms: 86_399_999 });
    accepts("LTIME", 7n, { ns: 7n });
    accepts("LTIME", { ms: 2 }, { ns: 2_000_000n });
    rejects("TIME_OF_DAY", 86_400_000, "86400000 ms is out of range for TIME_OF_DAY (0..86399999 ms)");
    rejects("TIME", { ms: 1.5 }, "TIME holds whole milliseconds, got 1.5 ms");
    rejects("TIME", 2 ** 31, "2147483648 ms is out of range for TIME (-2147483648..2147483647 ms)");
    rejects("LTIME", "5", 'expected { ns }, { ms } or a number of nanoseconds for LTIME, got "5"');
  });

  it("takes dates as Date, ISO-8601 or epoch milliseconds, and whole days for DATE", () => {
    accepts("DATE", "2024-03-01", new Date(Date.UTC(2024, 2, 1)));
    accepts("DATE_AND_TIME", "2024-03-01T10:20:30.400Z", new Date(Date.UTC(2024, 2, 1, 10, 20, 30, 400)));
    accepts("DATE_AND_TIME", 0, new Date(0));
    rejects(
      "DATE",
      new Date(Date.UTC(2024, 2, 1, 12)),
      "DATE holds whole days (midnight UTC), got 2024-03-01T12:00:00.000Z",
    );
    rejects("DATE_AND_TIME", "2024-13-45", '"2024-13-45" is not a valid date for DATE_AND_TIME');
    rejects("DATE", "yesterday", 'expected a Date, an ISO-8601 string or epoch milliseconds for DATE, got "yesterday"');
  });

  it("requires exactly count elements for arrays and names the bad element", () => {
    accepts("INT[3]", [1, 2n, -3], [1, 2, -3]);
    accepts("LINT[2]", [1, "2"], [1n, 2n]);
    rejects("INT[3]", [1, 2], "expected 3 elements for INT[3], got 2");
    rejects("INT[3]", 1, "expected an array of 3 for INT[3], got 1");
    rejects("INT[2]", [1, 99999], "element [1]: 99999 is out of range for INT (-32768..32767)");
    rejects("INT", [1], "expected a single INT, got an array of 1");
  });

  it("reports the type's range with a failure", () => {
    assert.deepEqual(coerceValue(spec("UINT"), -1), {
      ok: false,
      message: "-1 is out of range for UINT (0..65535)",
      range: "0..65535",
    });
    assert.deepEqual(coerceValue(spec("STRING(2)"), "abc"), {
      ok: false,
      message: "3 characters do not fit in STRING(2) (at most 2)",
    });
  });

  it("describes ranges of ranged types only", () => {
    assert.equal(describeRange("SINT"), "-128..127");
    assert.equal(describeRange("TIME_OF_DAY"), "0..86399999 ms");
    assert.equal(describeRange("STRING"), undefined);
  });
});

describe("requireValue", () => {
  it("returns the normalised value or throws InvalidValueError with tag, type and range", () => {
    assert.equal(requireValue("count", spec("LINT"), 3), 3n);
    assert.throws(
      () => requireValue("setpoint", spec("UINT[2]"), [1, -1]),
      (error: unknown) => {
        assert.ok(error instanceof InvalidValueError);
        assert.equal(
          error.message,
          "cannot write 'setpoint' (UINT[2]): element [1]: -1 is out of range for UINT (0..65535)",
        );
        assert.deepEqual([error.tag, error.expectedType, error.range], ["setpoint", "UINT[2]", "0..65535"]);
        return true;
      },
    );
  });
});
