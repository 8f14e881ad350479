// The syntax tree of KSQL statements, expressions and types; every node carries the span of text it was read from.

/** Offsets into the parsed text: `start` is the first character, `end` one past the last. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A name after KSQL's rules: unquoted names upper-cased, back-quoted ones exactly as written. */
export interface Identifier {
  readonly value: string;
  readonly span: Span;
}

// ---- types -------------------------------------------------------------------------------------------------------

export type PrimitiveTypeName =
  | "BOOLEAN"
  | "INT"
  | "BIGINT"
  | "DOUBLE"
  | "STRING"
  | "BYTES"
  | "DATE"
  | "TIME"
  | "TIMESTAMP";

/** A SQL type as written; INTEGER is read as INT and VARCHAR as STRING. `Named` is a type made with CREATE TYPE. */
export type SqlType =
  | { readonly kind: "Primitive"; readonly name: PrimitiveTypeName; readonly span: Span }
  | { readonly kind: "Decimal"; readonly precision: number; readonly scale: number; readonly span: Span }
  | { readonly kind: "Array"; readonly element: SqlType; readonly span: Span }
  | { readonly kind: "Map"; readonly key: SqlType; readonly value: SqlType; readonly span: Span }
  | { readonly kind: "Struct"; readonly fields: readonly StructField[]; readonly span: Span }
  | { readonly kind: "Named"; readonly name: Identifier; readonly span: Span };

export interface StructField {
  readonly name: Identifier;
  readonly type: SqlType;
  readonly span: Span;
}

// ---- expressions -------------------------------------------------------------------------------------------------

export type ArithmeticOperator = "+" | "-" | "*" | "/" | "%";
/** `!=` is read as `<>`: KSQL gives both one meaning. */
export type ComparisonOperator = "=" | "<>" | "<" | "<=" | ">" | ">=";

/** Integer literals are INT when they fit 32 bits, BIGINT otherwise; `value` keeps the exact digits. */
export interface IntegerLiteral {
  readonly kind: "IntegerLiteral";
  readonly value: string;
  readonly type: "INT" | "BIGINT";
  readonly span: Span;
}

export type Literal =
  | { readonly kind: "NullLiteral"; readonly span: Span }
  | { readonly kind: "BooleanLiteral"; readonly value: boolean; readonly span: Span }
  | { readonly kind: "StringLiteral"; readonly value: string; readonly span: Span }
  | IntegerLiteral
  /** A number with a point and no exponent is exact in KSQL (DECIMAL); `value` is the text as written. */
  | { readonly kind: "DecimalLiteral"; readonly value: string; readonly span: Span }
  /** A number with an exponent is a DOUBLE. */
  | { readonly kind: "DoubleLiteral"; readonly value: number; readonly span: Span };

export interface WhenClause {
  readonly when: Expression;
  readonly then: Expression;
  readonly span: Span;
}

export type Expression =
  | Literal
  /** `name` or `source.name`; ROWTIME, WINDOWSTART and the other pseudo columns are plain column references. */
  | { readonly kind: "ColumnRef"; readonly source?: Identifier; readonly name: Identifier; readonly span: Span }
  /** `base->field`: a struct field. */
  | { readonly kind: "Dereference"; readonly base: Expression; readonly field: Identifier; readonly span: Span }
  /** `base[index]`: an array element (1-based, negative from the end) or a map value. */
  | { readonly kind: "Subscript"; readonly base: Expression; readonly index: Expression; readonly span: Span }
  /** `name(args)`; `COUNT(*)` has `star` set and no arguments. Lambdas appear among the arguments. */
  | {
      readonly kind: "FunctionCall";
      readonly name: Identifier;
      readonly args: readonly Expression[];
      readonly star: boolean;
      readonly span: Span;
    }
  | { readonly kind: "Lambda"; readonly params: readonly Identifier[]; readonly body: Expression; readonly span: Span }
  | { readonly kind: "Negate"; readonly operand: Expression; readonly span: Span }
  | {
      readonly kind: "Arithmetic";
      readonly operator: ArithmeticOperator;
      readonly left: Expression;
      readonly right: Expression;
      readonly span: Span;
    }
  | { readonly kind: "Concat"; readonly left: Expression; readonly right: Expression; readonly span: Span }
  | {
      readonly kind: "Comparison";
      readonly operator: ComparisonOperator;
      readonly left: Expression;
      readonly right: Expression;
      readonly span: Span;
    }
  | { readonly kind: "IsNull"; readonly operand: Expression; readonly negated: boolean; readonly span: Span }
  | {
      readonly kind: "IsDistinctFrom";
      readonly left: Expression;
      readonly right: Expression;
      readonly negated: boolean;
      readonly span: Span;
    }
  | {
      readonly kind: "Between";
      readonly operand: Expression;
      readonly low: Expression;
      readonly high: Expression;
      readonly negated: boolean;
      readonly span: Span;
    }
  | {
      readonly kind: "InList";
      readonly operand: Expression;
      readonly list: readonly Expression[];
      readonly negated: boolean;
      readonly span: Span;
    }
  | {
      readonly kind: "Like";
      readonly operand: Expression;
      readonly pattern: Expression;
      readonly escape?: string;
      readonly negated: boolean;
      readonly span: Span;
    }
  | { readonly kind: "Not"; readonly operand: Expression; readonly span: Span }
  | {
      readonly kind: "Logical";
      readonly operator: "AND" | "OR";
      readonly left: Expression;
      readonly right: Expression;
      readonly span: Span;
    }
  /** Simple CASE has an `operand` compared with each WHEN; searched CASE has none and tests each WHEN. */
  | {
      readonly kind: "Case";
      readonly operand?: Expression;
      readonly whens: readonly WhenClause[];
      readonly else?: Expression;
      readonly span: Span;
    }
  | { readonly kind: "Cast"; readonly operand: Expression; readonly type: SqlType; readonly span: Span }
  | { readonly kind: "ArrayConstructor"; readonly elements: readonly Expression[]; readonly span: Span }
  | { readonly kind: "MapConstructor"; readonly entries: readonly MapEntry[]; readonly span: Span }
  | { readonly kind: "StructConstructor"; readonly fields: readonly StructValue[]; readonly span: Span };

export interface MapEntry {
  readonly key: Expression;
  readonly value: Expression;
  readonly span: Span;
}

export interface StructValue {
  readonly name: Identifier;
  readonly value: Expression;
  readonly span: Span;
}

export type ExpressionKind = Expression["kind"];

// ---- queries -----------------------------------------------------------------------------------------------------

export type TimeUnit = "MILLISECOND" | "SECOND" | "MINUTE" | "HOUR" | "DAY";

/** `5 SECONDS`: the unit is kept singular whichever form was written. */
export interface Duration {
  readonly value: number;
  readonly unit: TimeUnit;
  readonly span: Span;
}

/** RETENTION and GRACE PERIOD, which every window kind may add after its own parameters. */
export interface WindowLimits {
  readonly retention?: Duration;
  readonly grace?: Duration;
}

export type WindowExpression =
  | ({ readonly kind: "Tumbling"; readonly size: Duration; readonly span: Span } & WindowLimits)
  | ({
      readonly kind: "Hopping";
      readonly size: Duration;
      readonly advanceBy: Duration;
      readonly span: Span;
    } & WindowLimits)
  | ({ readonly kind: "Session"; readonly gap: Duration; readonly span: Span } & WindowLimits);

export type SelectItem =
  /** `*` or `alias.*`. */
  | { readonly kind: "AllColumns"; readonly source?: Identifier; readonly span: Span }
  | {
      readonly kind: "SelectColumn";
      readonly expression: Expression;
      readonly alias?: Identifier;
      readonly span: Span;
    };

export interface AliasedSource {
  readonly kind: "Source";
  readonly name: Identifier;
  readonly alias?: Identifier;
  readonly span: Span;
}

export type JoinType = "INNER" | "LEFT" | "RIGHT" | "FULL";

/** `WITHIN 1 HOUR` has `before` = `after`; `WITHIN (1 HOUR, 2 HOURS)` differs; either may add a GRACE PERIOD. */
export interface JoinWindow {
  readonly before: Duration;
  readonly after?: Duration;
  readonly grace?: Duration;
  readonly span: Span;
}

export type Relation =
  | AliasedSource
  | {
      readonly kind: "Join";
      readonly joinType: JoinType;
      readonly left: Relation;
      readonly right: AliasedSource;
      readonly within?: JoinWindow;
      readonly on: Expression;
      readonly span: Span;
    };

export interface Query {
  readonly kind: "Query";
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window?: WindowExpression;
  readonly where?: Expression;
  readonly groupBy?: readonly Expression[];
  readonly partitionBy?: readonly Expression[];
  readonly having?: Expression;
  /** CHANGES makes a push query; FINAL emits a window once it closes; absent makes a pull query. */
  readonly emit?: "CHANGES" | "FINAL";
  readonly limit?: number;
  readonly span: Span;
}

// ---- statements --------------------------------------------------------------------------------------------------

export type SourceType = "STREAM" | "TABLE";

/** Which part of a record a declared column lives in; HEADER reads the one header named `headerKey`. */
export type ColumnRole = "VALUE" | "KEY" | "PRIMARY KEY" | "HEADERS" | "HEADER";

export interface ColumnDefinition {
  readonly name: Identifier;
  readonly type: SqlType;
  readonly role: ColumnRole;
  readonly headerKey?: string;
  readonly span: Span;
}

/** One `NAME=value` of a WITH clause; the value is a literal. */
export interface Property {
  readonly name: Identifier;
  readonly value: Literal;
  readonly span: Span;
}

export type ShowSubject =
  | "STREAMS"
  | "TABLES"
  | "TOPICS"
  | "QUERIES"
  | "FUNCTIONS"
  | "PROPERTIES"
  | "TYPES"
  | "VARIABLES";

export type Statement =
  | Query
  /** CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name [(columns)] [WITH (...)] */
  | {
      readonly kind: "CreateSource";
      readonly sourceType: SourceType;
      readonly orReplace: boolean;
      readonly readOnly: boolean;
      readonly ifNotExists: boolean;
      readonly name: Identifier;
      readonly columns: readonly ColumnDefinition[];
      readonly properties: readonly Property[];
      readonly span: Span;
    }
  | {
      readonly kind: "CreateAsSelect";
      readonly sourceType: SourceType;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly name: Identifier;
      readonly properties: readonly Property[];
      readonly query: Query;
      readonly span: Span;
    }
  | {
      readonly kind: "InsertInto";
      readonly target: Identifier;
      readonly properties: readonly Property[];
      readonly query: Query;
      readonly span: Span;
    }
  /** `columns` is empty when the statement names none (then values go to every column in order). */
  | {
      readonly kind: "InsertValues";
      readonly target: Identifier;
      readonly columns: readonly Identifier[];
      readonly values: readonly Expression[];
      readonly span: Span;
    }
  | {
      readonly kind: "DropSource";
      readonly sourceType: SourceType;
      readonly ifExists: boolean;
      readonly name: Identifier;
      readonly deleteTopic: boolean;
      readonly span: Span;
    }
  /** SHOW or LIST; `all` is SHOW ALL TOPICS (internal topics too). */
  | {
      readonly kind: "Show";
      readonly subject: ShowSubject;
      readonly extended: boolean;
      readonly all: boolean;
      readonly span: Span;
    }
  | { readonly kind: "Describe"; readonly name: Identifier; readonly extended: boolean; readonly span: Span }
  /** DESCRIBE STREAMS|TABLES [EXTENDED]. */
  | {
      readonly kind: "DescribeSources";
      readonly sourceType: SourceType;
      readonly extended: boolean;
      readonly span: Span;
    }
  | { readonly kind: "DescribeFunction"; readonly name: Identifier; readonly span: Span }
  /** EXPLAIN a statement that runs a query, or a running query by its id. */
  | {
      readonly kind: "Explain";
      readonly statement?: Query | CreateAsSelectLike;
      readonly queryId?: Identifier;
      readonly span: Span;
    }
  | { readonly kind: "Terminate"; readonly queryId?: Identifier; readonly all: boolean; readonly span: Span }
  /** PRINT; `caseSensitive` when the topic was quoted (unquoted names match topics ignoring case). */
  | {
      readonly kind: "Print";
      readonly topic: string;
      readonly caseSensitive: boolean;
      readonly fromBeginning: boolean;
      readonly interval?: number;
      readonly limit?: number;
      readonly span: Span;
    }
  | { readonly kind: "SetProperty"; readonly name: string; readonly value: string; readonly span: Span }
  | { readonly kind: "UnsetProperty"; readonly name: string; readonly span: Span }
  | { readonly kind: "RunScript"; readonly path: string; readonly span: Span }
  | { readonly kind: "DefineVariable"; readonly name: Identifier; readonly value: string; readonly span: Span }
  | { readonly kind: "UndefineVariable"; readonly name: Identifier; readonly span: Span };

/** The statements that start a persistent query, which EXPLAIN accepts besides a plain SELECT. */
export type CreateAsSelectLike = Extract<Statement, { kind: "CreateAsSelect" | "InsertInto" }>;

export type StatementKind = Statement["kind"];

/** A statement with the exact text it was parsed from (through its `;`), as the command topic and EXPLAIN keep it. */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly text: string;
  readonly span: Span;
}
