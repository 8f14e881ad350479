// The side panel of Trends: every numeric tag of the plant by machine, with a filter, ticked when on the chart; and
// below, a SQL column as a series source.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { type PlantSource, type PlantTag, plant, tagKey } from "../../api/live.ts";
import { EmptyState } from "../../components/empty-state.tsx";
import { Icon } from "../../components/icon.tsx";
import { protocolName } from "../../components/protocol.ts";
import { SearchBox } from "../../components/search-box.tsx";
import { SqlSeriesForm } from "./sql-series-form.tsx";

export interface SeriesPickerProps {
  /** Keys of the series on the chart. */
  selected: ReadonlySet<string>;
  onToggle: (key: string) => void;
  onAddSql: (spec: string) => void;
}

/** Tags that /api/history can answer for: not arrays, not text. */
function isNumericTag(tag: PlantTag): boolean {
  return !/\[\d+\]$/.test(tag.address) && !/STRING|CHAR|TEXT/i.test(tag.address);
}

function matches(source: PlantSource, tag: PlantTag, words: string[]): boolean {
  const text = `${source.source} ${tag.alias} ${tag.unit ?? ""} ${tag.description ?? ""}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

function SourceGroup(props: {
  source: PlantSource;
  words: string[];
  selected: ReadonlySet<string>;
  onToggle: (key: string) => void;
}): JSX.Element | null {
  const { source } = props;
  const [open, setOpen] = useState(true);
  const entries = source.jobs.flatMap((job) =>
    job.tags
      .filter((tag) => isNumericTag(tag) && matches(source, tag, props.words))
      .map((tag) => ({ tag, key: tagKey(source.connector, source.source, job.name, tag.alias) })),
  );
  if (entries.length === 0) return null;
  const ticked = entries.filter((entry) => props.selected.has(entry.key)).length;
  const expanded = open || props.words.length > 0;
  return (
    <div class="picker-group">
      <button type="button" class="picker-group-head" aria-expanded={expanded} onClick={() => setOpen(!open)}>
        <Icon name={expanded ? "chevronDown" : "chevronRight"} size={12} />
        <span class="picker-group-name">{source.source}</span>
        <span class="muted small">{protocolName(source.protocol)}</span>
        {ticked > 0 ? <span class="picker-count">{ticked}</span> : null}
      </button>
      {expanded ? (
        <ul class="picker-tags">
          {entries.map(({ tag, key }) => (
            <li key={key}>
              <label class="picker-tag" title={tag.description ?? tag.address}>
                <input
                  type="checkbox"
                  checked={props.selected.has(key)}
                  onChange={() => props.onToggle(key)}
                  data-testid="pick-tag"
                  data-tag={key}
                />
                <span class="picker-tag-name">{tag.alias}</span>
                <span class="picker-tag-unit">{tag.unit ?? ""}</span>
              </label>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SeriesPicker(props: SeriesPickerProps): JSX.Element {
  const [filter, setFilter] = useState("");
  const sources = plant.value;
  const words = filter
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== "");
  return (
    <aside class="picker panel" aria-label="Series">
      <div class="picker-search">
        <SearchBox value={filter} onInput={setFilter} placeholder="Find a tag" testId="picker-filter" />
      </div>
      <div class="picker-list">
        {sources === null ? (
          <EmptyState title="Waiting for the plant" icon="pending" />
        ) : (
          sources.map((source) => (
            <SourceGroup
              key={`${source.connector}/${source.source}`}
              source={source}
              words={words}
              selected={props.selected}
              onToggle={props.onToggle}
            />
          ))
        )}
      </div>
      <SqlSeriesForm onAdd={props.onAddSql} />
    </aside>
  );
}
