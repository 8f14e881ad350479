// The plant overview (`/`): every machine as a card with its connection and its tags live, a filter that keeps its
// words in the URL (?q=), "problems only" (?problems=1) for the machines and tags that need a look, and every tag in
// one sortable table (?view=table) for large plants; a tag that a sink may write opens the dialog that sets it.
import type { JSX } from "preact";
import { useMemo } from "preact/hooks";
import { health, liveState, plant } from "../../api/live.ts";
import { updateQuery, useQuery } from "../../app/router.ts";
import { Button } from "../../components/button.tsx";
import { EmptyState } from "../../components/empty-state.tsx";
import { Link } from "../../components/link.tsx";
import { SearchBox } from "../../components/search-box.tsx";
import { Segmented } from "../../components/segmented.tsx";
import { allTags, filterPlant } from "./filter.ts";
import { MachineCard } from "./machine-card.tsx";
import { TagTable } from "./tag-table.tsx";
import { WriteDialog, writeTarget } from "./write-dialog.tsx";
import "./overview.css";

type View = "cards" | "table";

const VIEWS = [
  { value: "cards", label: "Machines", title: "A card per machine" },
  { value: "table", label: "Table", title: "Every tag in one sortable table" },
] as const;

function Summary(): JSX.Element | null {
  const sources = plant.value;
  if (sources === null) return null;
  const states = [...health.value.values()];
  const connected = states.filter((state) => state.state === "connected").length;
  const troubled = states.filter((state) => state.state !== "connected" && state.state !== "paused").length;
  const tagCount = sources.reduce((sum, source) => sum + allTags(source).length, 0);
  return (
    <p class="overview-summary muted" data-testid="overview-summary">
      <span>
        <strong>{sources.length}</strong> machines
      </span>
      <span>
        <strong>{connected}</strong> connected
      </span>
      {troubled > 0 ? (
        <span class="overview-summary-bad">
          <strong>{troubled}</strong> not connected
        </span>
      ) : null}
      <span>
        <strong>{tagCount}</strong> tags
      </span>
    </p>
  );
}

export function OverviewPage(): JSX.Element {
  const query = useQuery();
  const text = query.get("q") ?? "";
  const problemsOnly = query.get("problems") === "1";
  const view: View = query.get("view") === "table" ? "table" : "cards";
  const sources = plant.value;
  const visible = useMemo(() => (sources === null ? [] : filterPlant(sources, text)), [sources, text]);

  let body: JSX.Element;
  if (sources === null) {
    body = (
      <EmptyState title="Waiting for the plant" icon="pending" testId="overview-waiting">
        {liveState.value === "reconnecting"
          ? "The live feed is not connected; the overview fills in as soon as it is."
          : "Connecting to the live feed…"}
      </EmptyState>
    );
  } else if (sources.length === 0) {
    body = (
      <EmptyState
        title="No machines yet"
        icon="connectors"
        action={<Link path="/connectors">Open Connectors</Link>}
        testId="overview-empty"
      >
        The server knows no connector with sources. Create or start one, and its machines appear here.
      </EmptyState>
    );
  } else if (visible.length === 0) {
    body = (
      <EmptyState title={`Nothing matches “${text}”`} icon="search" testId="overview-no-match">
        The filter looks at machine names, protocols and addresses, and at tag names, units and descriptions.
      </EmptyState>
    );
  } else if (view === "table") {
    body = <TagTable visible={visible} />;
  } else {
    body = (
      <div class="machine-grid" data-testid="machine-grid">
        {visible.map((entry) => (
          <MachineCard
            key={`${entry.source.connector}/${entry.source.source}`}
            source={entry.source}
            tags={entry.tags}
            total={entry.total}
            problemsOnly={problemsOnly}
          />
        ))}
      </div>
    );
  }

  return (
    <div class={view === "table" ? "page overview overview-table" : "page overview"}>
      <div class="page-header">
        <h1 class="page-title">Plant overview</h1>
        <Summary />
        <div class="toolbar overview-tools">
          <SearchBox
            value={text}
            onInput={(value) => updateQuery({ q: value })}
            placeholder="Filter machines and tags"
            testId="overview-filter"
          />
          <Segmented<View>
            label="View"
            options={VIEWS}
            value={view}
            onChange={(next) => updateQuery({ view: next === "cards" ? null : next })}
            testId="overview-view"
          />
          <Button
            icon="warn"
            disabled={view === "table"}
            pressed={problemsOnly}
            onClick={() => updateQuery({ problems: problemsOnly ? null : "1" })}
            testId="problems-only"
            title="Show only machines that are not connected and tags whose quality is not GOOD"
          >
            Problems only
          </Button>
        </div>
      </div>
      {body}
      {writeTarget.value === null ? null : (
        <WriteDialog
          key={`${writeTarget.value.connector}/${writeTarget.value.source}/${writeTarget.value.tag.alias}`}
          target={writeTarget.value}
        />
      )}
    </div>
  );
}
