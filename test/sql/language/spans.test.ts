// Spans: every node of every golden case covers its own text, inside its parent's, and names cover what was written.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type Expression, parseExpression, parseStatements, type Span } from "../../../src/sql/language/index.ts";

const CASES = join(import.meta.dirname, "cases");

function isSpan(value: unknown): value is Span {
  return typeof value === "object" && value !== null && "start" in value && "end" in value;
}

interface Visit {
  readonly node: Record<string, unknown>;
  readonly span: Span;
  readonly parent: Span | undefined;
}

/** Every object that has a span, with the span of the nearest enclosing object that has one. */
function visit(value: unknown, parent: Span | undefined, out: Visit[]): Visit[] {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, parent, out);
  } else if (typeof value === "object" && value !== null) {
    const node = value as Record<string, unknown>;
    const span = isSpan(node.span) ? node.span : undefined;
    if (span !== undefined) out.push({ node, span, parent });
    for (const [key, inner] of Object.entries(node)) if (key !== "span") visit(inner, span ?? parent, out);
  }
  return out;
}

function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

describe("KSQL spans", () => {
  const scripts = readdirSync(CASES)
    .filter((file) => file.endsWith(".sql") && !file.startsWith("error-"))
    .map((file) => readFileSync(join(CASES, file), "utf8"));

  it("nest, are never empty, and names cover their own spelling", () => {
    let checked = 0;
    for (const text of scripts) {
      const statements = parseStatements(text);
      for (const [index, parsed] of statements.entries()) {
        for (const { node, span, parent } of visit(parsed.statement, parsed.span, [])) {
          assert.ok(span.start < span.end, `empty span ${JSON.stringify(span)}`);
          if (parent !== undefined) {
            assert.ok(parent.start <= span.start && span.end <= parent.end, `${slice(text, span)} inside its parent`);
          }
          if (Object.keys(node).length === 2 && typeof node.value === "string") {
            const written = slice(text, span);
            const plain = written.toUpperCase() === node.value;
            assert.ok(plain || /^[`']/.test(written), `identifier ${node.value} written as ${written}`);
          }
          checked++;
        }
        // Only the last statement of a script may go without its ';'.
        assert.ok(parsed.text.endsWith(";") || index === statements.length - 1, parsed.text);
      }
    }
    assert.ok(checked > 1000, `checked ${checked} spans`);
  });

  it("point at the exact text of the plant pipeline's pieces", () => {
    const text = readFileSync(join(CASES, "plant-pipeline.sql"), "utf8");
    const [raw, machines, conveyor, vibration, pull] = parseStatements(text);
    assert.ok(raw!.text.startsWith("CREATE STREAM conveyor_raw (sourceName STRING KEY,"));
    assert.ok(raw!.text.endsWith("TIMESTAMP='`timestamp`');"));
    assert.ok(machines!.text.endsWith("PARTITIONS=1);"));
    assert.ok(conveyor!.statement.kind === "CreateAsSelect");
    const query = conveyor!.statement.query;
    assert.equal(slice(text, query.span).slice(0, 26), "SELECT sourceName AS machi");
    assert.ok(slice(text, query.span).endsWith("EMIT CHANGES"));
    const belt = query.select[1]!;
    assert.equal(slice(text, belt.span), "tags->beltSpeed AS belt_speed");
    assert.ok(belt.kind === "SelectColumn");
    assert.equal(slice(text, belt.expression.span), "tags->beltSpeed");
    assert.equal(slice(text, query.where!.span), "quality['vibration'] = 'GOOD'");
    assert.ok(vibration!.statement.kind === "CreateAsSelect");
    assert.equal(
      slice(text, vibration!.statement.query.window!.span),
      "TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS)",
    );
    assert.equal(slice(text, vibration!.statement.query.window!.grace!.span), "10 SECONDS");
    assert.equal(slice(text, vibration!.statement.query.having!.span), "MAX(vibration) > 7.1");
    assert.ok(pull!.statement.kind === "Query");
    assert.equal(slice(text, pull!.statement.from.span), "vibration_1m");
    assert.equal(pull!.text, text.slice(text.indexOf("SELECT * FROM vibration_1m")).trimEnd());
  });

  it("cover operators from the first operand to the last", () => {
    const text = "-a + b * (c - 1)";
    const sum = parseExpression(text);
    assert.ok(sum.kind === "Arithmetic");
    const spans = (e: Expression) => slice(text, e.span);
    assert.equal(spans(sum), text);
    assert.equal(spans(sum.left), "-a");
    assert.equal(spans(sum.right), "b * (c - 1)");
    assert.ok(sum.right.kind === "Arithmetic");
    // Parentheses leave no node, so the inner span is what they enclose.
    assert.equal(spans(sum.right.right), "c - 1");
  });
});
