// KSQL as CodeMirror's SQL language sees it: ksqlDB's keywords, types and built-in functions, back-quoted names, and
// highlighting in the theme's colours (CSS variables, so both themes follow without rebuilding the editor).
import { SQLDialect } from "@codemirror/lang-sql";
import { HighlightStyle } from "@codemirror/language";
import { tags } from "@lezer/highlight";

const KEYWORDS = [
  // statements
  "create or replace source stream table as insert into values drop if not exists delete topic show list streams",
  "tables queries topics all functions function properties describe extended explain terminate print from beginning",
  "interval limit set unset run script define undefine variables type types connector connectors",
  // queries
  "select distinct where group by having emit changes final partition window tumbling hopping session size advance",
  "grace period retention join left right inner outer full within on and or is null true false in between like",
  "escape case when then else end cast exists with key primary headers header struct array map",
  // units
  "millisecond milliseconds second seconds minute minutes hour hours day days",
].join(" ");

const TYPES = "boolean int integer bigint double decimal varchar string bytes date time timestamp";

/** Fabrik's built-in functions (SHOW FUNCTIONS), highlighted and offered for completion. */
const FUNCTIONS = [
  "abs acos array_concat array_contains array_distinct array_except array_intersect array_join array_length array_max",
  "array_min array_remove array_sort array_union asin as_map as_value atan atan2 avg cbrt ceil chr coalesce",
  "collect_list collect_set concat concat_ws convert_tz cos cosh cot count count_distinct cube_explode dateadd datesub",
  "datetostring degrees earliest_by_offset elt encode entries exp explode extractjsonfield field filter floor",
  "format_date format_time format_timestamp from_bytes from_days from_unixtime generate_series greatest histogram",
  "ifnull initcap instr is_json_string json_array_contains json_array_length json_concat json_keys json_records",
  "latest_by_offset lcase least len ln log lpad ltrim map_keys map_union map_values mask mask_keep_left",
  "mask_keep_right mask_left mask_right max min nullif parse_date parse_time parse_timestamp pi power radians random",
  "reduce regexp_extract regexp_extract_all regexp_replace regexp_split_to_array replace round rpad rtrim sign sin",
  "sinh slice split split_to_map sqrt stddev_samp stringtodate stringtotimestamp substring sum tan tanh timeadd",
  "timestampadd timestampsub timestamptostring timesub topk topkdistinct to_bytes to_json_string transform trim ucase",
  "unix_date unix_timestamp uuid",
].join(" ");

export const KSQL = SQLDialect.define({
  keywords: KEYWORDS,
  types: TYPES,
  builtin: `${FUNCTIONS} rowtime rowpartition rowoffset windowstart windowend`,
  identifierQuotes: "`",
  // KSQL's `->` reaches into a struct; the dialect only needs to know it is an operator.
  operatorChars: "*+-%<>!=&|/~^",
  doubleQuotedStrings: false,
  backslashEscapes: false,
  caseInsensitiveIdentifiers: true,
});

export const ksqlHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--syntax-keyword, var(--accent))", fontWeight: "600" },
  { tag: [tags.typeName, tags.standard(tags.name)], color: "var(--syntax-type, var(--chart-4))" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--syntax-string, var(--good))" },
  { tag: [tags.number, tags.bool, tags.null], color: "var(--syntax-number, var(--warn))" },
  { tag: [tags.lineComment, tags.blockComment], color: "var(--text-muted)", fontStyle: "italic" },
  { tag: tags.special(tags.name), color: "var(--text)" },
  { tag: [tags.operator, tags.punctuation], color: "var(--text-muted)" },
]);
