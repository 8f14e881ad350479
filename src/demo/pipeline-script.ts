// Reads a pipeline script into the steps the demo applies: what each statement creates, where it is, what it writes.
import {
  type ParsedStatement,
  type Property,
  parseStatements,
  positionOf,
  printStatement,
  SqlSyntaxError,
  type Statement,
} from "../sql/language/index.ts";
import { DemoError } from "./errors.ts";

interface Located {
  /** The statement as written (through its `;`), sent to the engine as is. */
  readonly text: string;
  /** `file:line` of the statement's first line, for messages. */
  readonly where: string;
}

/**
 * One statement of the script, by what it leaves in the engine: a stream or table (found again by its name), a
 * persistent INSERT query (found by its QUERY_ID, or by its text when it has none), rows written with VALUES, or a
 * property for the statements after it.
 */
export type PipelineStep =
  | (Located & { readonly kind: "set"; readonly name: string; readonly value: string })
  | (Located & { readonly kind: "unset"; readonly name: string })
  | (Located & {
      readonly kind: "create";
      readonly sourceType: "STREAM" | "TABLE";
      readonly name: string;
      /** The Kafka topic the source reads or its query writes. */
      readonly topic: string;
      /** CREATE … AS SELECT: it runs a query. */
      readonly asSelect: boolean;
      readonly canonical: string;
    })
  | (Located & {
      readonly kind: "insert-query";
      readonly target: string;
      readonly queryId: string | undefined;
      readonly canonical: string;
    })
  | (Located & { readonly kind: "insert-values"; readonly target: string });

export interface PipelineScript {
  /** The file name messages use. */
  readonly file: string;
  readonly steps: readonly PipelineStep[];
}

/**
 * Parses `text` into steps. A pipeline creates things and writes rows; anything else (SELECT, DROP, TERMINATE, RUN
 * SCRIPT …) is refused, since applying the script again on every start must leave the engine as the script says.
 */
export function readPipelineScript(text: string, file: string): PipelineScript {
  let parsed: ParsedStatement[];
  try {
    parsed = parseStatements(text);
  } catch (error) {
    if (error instanceof SqlSyntaxError) {
      throw new DemoError("DEMO_PIPELINE_INVALID", `${file}:${error.line}`, error.message, error);
    }
    throw error;
  }
  const steps = parsed.map((p) => stepOf(p.statement, p.text, `${file}:${positionOf(text, p.span.start).line}`));
  return { file, steps };
}

function stepOf(statement: Statement, text: string, where: string): PipelineStep {
  switch (statement.kind) {
    case "SetProperty":
      return { kind: "set", name: statement.name, value: statement.value, text, where };
    case "UnsetProperty":
      return { kind: "unset", name: statement.name, text, where };
    case "CreateSource":
    case "CreateAsSelect":
      return {
        kind: "create",
        sourceType: statement.sourceType,
        name: statement.name.value,
        topic: stringProperty(statement.properties, "KAFKA_TOPIC") ?? statement.name.value,
        asSelect: statement.kind === "CreateAsSelect",
        canonical: printStatement(statement),
        text,
        where,
      };
    case "InsertInto":
      return {
        kind: "insert-query",
        target: statement.target.value,
        // The engine upper-cases a QUERY_ID, as ksqlDB does.
        queryId: stringProperty(statement.properties, "QUERY_ID")?.toUpperCase(),
        canonical: printStatement(statement),
        text,
        where,
      };
    case "InsertValues":
      return { kind: "insert-values", target: statement.target.value, text, where };
    default:
      throw new DemoError(
        "DEMO_PIPELINE_INVALID",
        where,
        `a pipeline creates streams, tables and queries and inserts rows; a ${firstWord(text)} statement does not belong in it`,
      );
  }
}

function stringProperty(properties: readonly Property[], name: string): string | undefined {
  const property = properties.find((p) => p.name.value.toUpperCase() === name);
  return property?.value.kind === "StringLiteral" ? property.value.value : undefined;
}

function firstWord(text: string): string {
  return (text.trim().split(/\s+/)[0] ?? "").toUpperCase();
}

/** Every topic the script's streams and tables read or write, in script order, each once. */
export function pipelineTopics(script: PipelineScript): string[] {
  const topics = script.steps.flatMap((step) => (step.kind === "create" ? [step.topic] : []));
  return [...new Set(topics)];
}

/**
 * The statement in `text` printed canonically (spacing, case of keywords, comments gone), to tell whether what the
 * engine holds is what the script says; text that does not parse is compared as it is.
 */
export function canonicalStatement(text: string): string {
  try {
    const [first] = parseStatements(text);
    return first === undefined ? text : printStatement(first.statement);
  } catch {
    return text;
  }
}
