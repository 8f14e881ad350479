// One tag on a machine card: name, the last two minutes as a sparkline, the live value with its unit, its quality and,
// for a tag a sink may write, "Set…". Re-renders on its own when its tag gets a sample; BAD and UNCERTAIN stand out by
// icon, colour and text.
import type { JSX } from "preact";
import { liveTag, type PlantJob, type PlantTag, type TagReading, tagKey } from "../../api/live.ts";
import { hrefOf, navigate } from "../../app/router.ts";
import { formatTimestamp, formatValue, isFloatAddress, NO_VALUE } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";
import { Sparkline } from "../../components/sparkline.tsx";
import { enumLabels } from "./tag-enum.ts";
import { SetButton } from "./write-dialog.tsx";

/** The span of the sparklines: the same on every row, so that their shapes compare. */
const SPARK_WINDOW_MS = 120_000;

export interface TagRowProps {
  connector: string;
  source: string;
  job: PlantJob;
  tag: PlantTag;
  /** Shows only tags that are not GOOD (the others render nothing). */
  problemsOnly: boolean;
  /** The card has writable tags: every row gets the column of their "Set…" buttons, so that values stay aligned. */
  actionColumn: boolean;
}

function isTrendable(tag: PlantTag, reading: TagReading | undefined): boolean {
  if (/\[\d+\]$/.test(tag.address) || /STRING|CHAR/i.test(tag.address)) return false;
  const value = reading?.value;
  return !(Array.isArray(value) || (typeof value === "string" && !/^-?\d+$/.test(value)));
}

function hoverText(tag: PlantTag, reading: TagReading | undefined, code: string | undefined): string {
  const lines = [tag.description === undefined ? tag.alias : `${tag.alias}: ${tag.description}`, tag.address];
  if (code !== undefined) lines.push(`Value ${code}`);
  if (reading === undefined) lines.push("No sample yet");
  else {
    lines.push(`Quality ${reading.quality}${reading.error === undefined ? "" : `: ${reading.error.code}`}`);
    if (reading.error !== undefined) lines.push(reading.error.message);
    lines.push(`Sampled ${formatTimestamp(reading.ts, true)}`);
  }
  return lines.join("\n");
}

function QualityMark({ reading }: { reading: TagReading | undefined }): JSX.Element {
  if (reading === undefined) return <span class="quality quality-none" data-testid="tag-quality" />;
  const quality = reading.quality;
  const icon = quality === "GOOD" ? "good" : quality === "BAD" ? "bad" : "warn";
  const label = reading.error === undefined ? `Quality ${quality}` : `Quality ${quality}: ${reading.error.code}`;
  return (
    <span class={`quality quality-${quality.toLowerCase()}`} data-testid="tag-quality" data-quality={quality}>
      <Icon name={icon} size={13} label={label} />
    </span>
  );
}

export function TagRow(props: TagRowProps): JSX.Element | null {
  const { connector, source, job, tag } = props;
  const key = tagKey(connector, source, job.name, tag.alias);
  const live = liveTag(key);
  const reading = live.reading.value;
  const version = live.version.value;
  const labels = enumLabels(tag.description);
  const quality = reading?.quality;
  if (props.problemsOnly && quality === "GOOD") return null;

  let valueText = reading === undefined ? "" : formatValue(reading.value, isFloatAddress(tag.address));
  let code: string | undefined;
  if (labels !== undefined && typeof reading?.value === "number") {
    code = String(reading.value);
    valueText = labels.get(reading.value) ?? valueText;
  }
  if (quality === "BAD") valueText = reading?.error?.code ?? NO_VALUE;

  const series = live.series.ordered();
  const trendable = isTrendable(tag, reading);
  const classes = ["tag-row"];
  if (quality === "BAD") classes.push("tag-bad");
  else if (quality === "UNCERTAIN") classes.push("tag-uncertain");
  if (trendable) classes.push("tag-link");

  const content = (
    <>
      <span class="tag-name">{tag.alias}</span>
      <span class="tag-spark">
        {trendable && series.values.length > 1 ? (
          <Sparkline
            values={series.values}
            times={series.times}
            version={version}
            windowMs={SPARK_WINDOW_MS}
            width={64}
            height={20}
            color={quality === "BAD" ? "--bad" : quality === "UNCERTAIN" ? "--warn" : "--chart-1"}
          />
        ) : null}
      </span>
      <span class="tag-value" data-testid="tag-value">
        {valueText}
      </span>
      <span class="tag-unit">{tag.unit ?? ""}</span>
      <QualityMark reading={reading} />
    </>
  );
  const title = hoverText(tag, reading, code);
  let row: JSX.Element;
  if (!trendable) {
    row = (
      <div class={classes.join(" ")} title={title} data-testid="tag-row" data-tag={key} data-quality={quality}>
        {content}
      </div>
    );
  } else {
    row = <TrendLink classes={classes} title={title} tagKey={key} quality={quality} content={content} />;
  }
  if (!props.actionColumn) return row;
  // The button sits beside the row, not in it: a row that opens Trends is a link, and a link holds no button.
  return (
    <div class="tag-line">
      {row}
      {tag.writable === undefined ? <span /> : <SetButton connector={connector} source={source} job={job} tag={tag} />}
    </div>
  );
}

interface TrendLinkProps {
  classes: string[];
  title: string;
  tagKey: string;
  quality: string | undefined;
  content: JSX.Element;
}

/** A row that opens its tag in Trends. */
function TrendLink({ classes, title, tagKey: key, quality, content }: TrendLinkProps): JSX.Element {
  const query = { tags: key };
  return (
    <a
      class={classes.join(" ")}
      href={hrefOf("/trends", query)}
      title={`${title}\nClick to open in Trends`}
      data-testid="tag-row"
      data-tag={key}
      data-quality={quality}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate("/trends", query);
      }}
    >
      {content}
    </a>
  );
}

/** A tag row of a card that is off screen: the same size, no live value, no updates. */
export function TagRowPlaceholder({ tag, actionColumn }: { tag: PlantTag; actionColumn: boolean }): JSX.Element {
  const row = (
    <div class="tag-row" data-testid="tag-row-idle">
      <span class="tag-name">{tag.alias}</span>
      <span class="tag-spark" />
      <span class="tag-value" />
      <span class="tag-unit">{tag.unit ?? ""}</span>
      <span class="quality" />
    </div>
  );
  return actionColumn ? (
    <div class="tag-line">
      {row}
      <span />
    </div>
  ) : (
    row
  );
}
