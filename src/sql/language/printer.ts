// Prints statements and queries as canonical KSQL text: one line each, keywords upper-case, names quoted only when needed.
import type {
  ColumnDefinition,
  JoinWindow,
  Property,
  Query,
  Relation,
  SelectItem,
  Statement,
  WindowExpression,
} from "./ast.ts";
import {
  printDuration,
  printExpression,
  printIdentifier,
  printLiteral,
  printString,
  printType,
} from "./print-expression.ts";

/** Names that would read as a keyword right after CREATE/DROP STREAM, DESCRIBE or TERMINATE. */
const AFTER_SOURCE_TYPE = ["IF"];
const AFTER_DESCRIBE = ["FUNCTION", "EXTENDED", "STREAMS", "TABLES"];
const AFTER_TERMINATE = ["ALL"];

/** The statement without its terminating ';'. */
export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case "Query":
      return printQuery(statement);
    case "CreateSource": {
      const columns = statement.columns.length === 0 ? "" : ` (${statement.columns.map(printColumn).join(", ")})`;
      return `${createHead(statement, statement.readOnly)}${columns}${printWith(statement.properties)}`;
    }
    case "CreateAsSelect":
      return `${createHead(statement, false)}${printWith(statement.properties)} AS ${printQuery(statement.query)}`;
    case "InsertInto":
      return `INSERT INTO ${printIdentifier(statement.target)}${printWith(statement.properties)} ${printQuery(statement.query)}`;
    case "InsertValues": {
      const columns =
        statement.columns.length === 0 ? "" : ` (${statement.columns.map((c) => printIdentifier(c)).join(", ")})`;
      const values = statement.values.map((v) => printExpression(v)).join(", ");
      return `INSERT INTO ${printIdentifier(statement.target)}${columns} VALUES (${values})`;
    }
    case "DropSource": {
      const ifExists = statement.ifExists ? " IF EXISTS" : "";
      const deleteTopic = statement.deleteTopic ? " DELETE TOPIC" : "";
      return `DROP ${statement.sourceType}${ifExists} ${printIdentifier(statement.name, AFTER_SOURCE_TYPE)}${deleteTopic}`;
    }
    case "Show":
      return `SHOW ${statement.all ? "ALL " : ""}${statement.subject}${statement.extended ? " EXTENDED" : ""}`;
    case "Describe":
      return `DESCRIBE ${statement.extended ? "EXTENDED " : ""}${printIdentifier(statement.name, AFTER_DESCRIBE)}`;
    case "DescribeSources":
      return `DESCRIBE ${statement.sourceType}S${statement.extended ? " EXTENDED" : ""}`;
    case "DescribeFunction":
      return `DESCRIBE FUNCTION ${printIdentifier(statement.name)}`;
    case "Explain":
      return `EXPLAIN ${statement.statement === undefined ? printIdentifier(statement.queryId ?? "") : printStatement(statement.statement)}`;
    case "Terminate":
      return statement.all ? "TERMINATE ALL" : `TERMINATE ${printIdentifier(statement.queryId ?? "", AFTER_TERMINATE)}`;
    case "Print": {
      const parts = [`PRINT ${statement.caseSensitive ? printString(statement.topic) : statement.topic}`];
      if (statement.fromBeginning) parts.push("FROM BEGINNING");
      if (statement.interval !== undefined) parts.push(`INTERVAL ${statement.interval}`);
      if (statement.limit !== undefined) parts.push(`LIMIT ${statement.limit}`);
      return parts.join(" ");
    }
    case "SetProperty":
      return `SET ${printString(statement.name)} = ${printString(statement.value)}`;
    case "UnsetProperty":
      return `UNSET ${printString(statement.name)}`;
    case "RunScript":
      return `RUN SCRIPT ${printString(statement.path)}`;
    case "DefineVariable":
      return `DEFINE ${printIdentifier(statement.name)} = ${printString(statement.value)}`;
    case "UndefineVariable":
      return `UNDEFINE ${printIdentifier(statement.name)}`;
  }
}

/** Every statement followed by ';', one per line. */
export function printStatements(statements: readonly Statement[]): string {
  return statements.map((s) => `${printStatement(s)};\n`).join("");
}

function createHead(
  statement: Extract<Statement, { kind: "CreateSource" | "CreateAsSelect" }>,
  readOnly: boolean,
): string {
  const parts = ["CREATE"];
  if (statement.orReplace) parts.push("OR REPLACE");
  if (readOnly) parts.push("SOURCE");
  parts.push(statement.sourceType);
  if (statement.ifNotExists) parts.push("IF NOT EXISTS");
  parts.push(printIdentifier(statement.name, AFTER_SOURCE_TYPE));
  return parts.join(" ");
}

function printColumn(column: ColumnDefinition): string {
  const head = `${printIdentifier(column.name)} ${printType(column.type)}`;
  switch (column.role) {
    case "VALUE":
      return head;
    case "HEADER":
      return `${head} HEADER(${printString(column.headerKey ?? "")})`;
    default:
      return `${head} ${column.role}`;
  }
}

function printWith(properties: readonly Property[]): string {
  if (properties.length === 0) return "";
  return ` WITH (${properties.map((p) => `${printIdentifier(p.name)}=${printLiteral(p.value)}`).join(", ")})`;
}

export function printQuery(query: Query): string {
  const parts = [`SELECT ${query.select.map(printSelectItem).join(", ")}`, `FROM ${printRelation(query.from)}`];
  if (query.window !== undefined) parts.push(`WINDOW ${printWindow(query.window)}`);
  if (query.where !== undefined) parts.push(`WHERE ${printExpression(query.where)}`);
  if (query.groupBy !== undefined) parts.push(`GROUP BY ${query.groupBy.map((e) => printExpression(e)).join(", ")}`);
  if (query.partitionBy !== undefined) {
    parts.push(`PARTITION BY ${query.partitionBy.map((e) => printExpression(e)).join(", ")}`);
  }
  if (query.having !== undefined) parts.push(`HAVING ${printExpression(query.having)}`);
  if (query.emit !== undefined) parts.push(`EMIT ${query.emit}`);
  if (query.limit !== undefined) parts.push(`LIMIT ${query.limit}`);
  return parts.join(" ");
}

function printSelectItem(item: SelectItem): string {
  if (item.kind === "AllColumns") return item.source === undefined ? "*" : `${printIdentifier(item.source)}.*`;
  const alias = item.alias === undefined ? "" : ` AS ${printIdentifier(item.alias)}`;
  return `${printExpression(item.expression)}${alias}`;
}

function printRelation(relation: Relation): string {
  if (relation.kind === "Source") {
    const alias = relation.alias === undefined ? "" : ` AS ${printIdentifier(relation.alias)}`;
    return `${printIdentifier(relation.name)}${alias}`;
  }
  const join =
    relation.joinType === "INNER" ? "JOIN" : `${relation.joinType}${relation.joinType === "FULL" ? " OUTER" : ""} JOIN`;
  const within = relation.within === undefined ? "" : ` ${printJoinWindow(relation.within)}`;
  return `${printRelation(relation.left)} ${join} ${printRelation(relation.right)}${within} ON ${printExpression(relation.on)}`;
}

function printJoinWindow(window: JoinWindow): string {
  const size =
    window.after === undefined
      ? printDuration(window.before)
      : `(${printDuration(window.before)}, ${printDuration(window.after)})`;
  return `WITHIN ${size}${window.grace === undefined ? "" : ` GRACE PERIOD ${printDuration(window.grace)}`}`;
}

function printWindow(window: WindowExpression): string {
  const parts: string[] = [];
  switch (window.kind) {
    case "Tumbling":
      parts.push(`SIZE ${printDuration(window.size)}`);
      break;
    case "Hopping":
      parts.push(`SIZE ${printDuration(window.size)}`, `ADVANCE BY ${printDuration(window.advanceBy)}`);
      break;
    case "Session":
      parts.push(printDuration(window.gap));
  }
  if (window.retention !== undefined) parts.push(`RETENTION ${printDuration(window.retention)}`);
  if (window.grace !== undefined) parts.push(`GRACE PERIOD ${printDuration(window.grace)}`);
  return `${window.kind.toUpperCase()} (${parts.join(", ")})`;
}
