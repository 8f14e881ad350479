// The overview as one table: every tag of every machine in a row (sortable by machine, tag, quality, unit), for
// plants with more tags than cards show comfortably and for finding the bad ones. Only the rows in view are drawn,
// and only their live cells re-render when their tag gets a sample.
import type { JSX } from "preact";
import { useMemo } from "preact/hooks";
import { liveTag, now, type PlantJob, type PlantSource, type PlantTag, tagKey } from "../../api/live.ts";
import { navigate } from "../../app/router.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { formatAge, formatValue, isFloatAddress, NO_VALUE } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";
import { protocolName } from "../../components/protocol.ts";
import { StatusPill } from "../../components/status-pill.tsx";
import type { VisibleSource } from "./filter.ts";
import { enumLabels } from "./tag-enum.ts";

interface TagLine {
  key: string;
  source: PlantSource;
  job: PlantJob;
  tag: PlantTag;
}

const QUALITY_ORDER: Record<string, number> = { BAD: 0, UNCERTAIN: 1, GOOD: 2 };

function valueText(line: TagLine): string {
  const reading = liveTag(line.key).reading.value;
  if (reading === undefined) return "";
  if (reading.quality === "BAD") return reading.error?.code ?? NO_VALUE;
  const labels = enumLabels(line.tag.description);
  if (labels !== undefined && typeof reading.value === "number")
    return labels.get(reading.value) ?? String(reading.value);
  return formatValue(reading.value, isFloatAddress(line.tag.address));
}

// Live cells are components of their own: they re-render when their tag's signals change, while the DataTable's rows
// re-render only when their row object does.
function ValueCell({ line }: { line: TagLine }): JSX.Element {
  const text = valueText(line);
  return (
    <span data-testid="tag-value" title={text}>
      {text}
    </span>
  );
}

function QualityCell({ line }: { line: TagLine }): JSX.Element | null {
  const reading = liveTag(line.key).reading.value;
  if (reading === undefined) return null;
  // GOOD stays quiet so that the others stand out; they get a pill, their code and the message on hover.
  if (reading.quality === "GOOD") {
    return (
      <span class="quality-text quality-good" title="Quality GOOD" data-testid="tag-quality" data-quality="GOOD">
        <Icon name="good" size={12} /> GOOD
      </span>
    );
  }
  return (
    <StatusPill
      state={reading.quality.toLowerCase()}
      label={reading.error === undefined ? reading.quality : `${reading.quality} ${reading.error.code}`}
      title={reading.error === undefined ? `Quality ${reading.quality}` : reading.error.message}
      testId="tag-quality"
    />
  );
}

function AgeCell({ line }: { line: TagLine }): JSX.Element {
  const reading = liveTag(line.key).reading.value;
  return <>{reading === undefined ? NO_VALUE : formatAge(Math.max(0, now.value - reading.ts))}</>;
}

const COLUMNS: readonly Column<TagLine>[] = [
  { id: "machine", header: "Machine", width: "14%", value: (line) => line.source.source },
  { id: "protocol", header: "Protocol", width: "11%", value: (line) => protocolName(line.source.protocol) },
  { id: "tag", header: "Tag", width: "18%", value: (line) => line.tag.alias },
  { id: "value", header: "Value", numeric: true, width: "14%", cell: (line) => <ValueCell line={line} /> },
  { id: "unit", header: "Unit", width: "7%", value: (line) => line.tag.unit },
  {
    id: "quality",
    header: "Quality",
    width: "12%",
    // peek: sorting by quality orders the rows once, it does not re-sort the table at every sample.
    value: (line) => QUALITY_ORDER[liveTag(line.key).reading.peek()?.quality ?? ""] ?? 3,
    cell: (line) => <QualityCell line={line} />,
    title: () => undefined,
  },
  { id: "age", header: "Age", numeric: true, width: "8%", cell: (line) => <AgeCell line={line} /> },
  { id: "description", header: "Description", value: (line) => line.tag.description ?? line.tag.address },
];

function openInTrends(line: TagLine): void {
  navigate("/trends", { tags: line.key });
}

export function TagTable({ visible }: { visible: readonly VisibleSource[] }): JSX.Element {
  // The same row objects while the machines and the filter stay: rows then re-render only for their own samples.
  const lines = useMemo<TagLine[]>(
    () =>
      visible.flatMap(({ source, tags }) =>
        tags.map(({ job, tag }) => ({
          key: tagKey(source.connector, source.source, job.name, tag.alias),
          source,
          job,
          tag,
        })),
      ),
    [visible],
  );
  return (
    <div class="tag-table panel">
      <DataTable
        columns={COLUMNS}
        rows={lines}
        rowKey={(line) => line.key}
        onRowClick={openInTrends}
        label="Every tag of the plant"
        testId="tag-table"
      />
    </div>
  );
}
