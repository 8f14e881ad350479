// The Topics page (/topics): the cluster's topics with their partitions, filtered by name; the selected topic's
// messages live (PRINT), newest first, each one's key and value readable in full below the list.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { runStatements } from "../../api/sql.ts";
import { updateQuery, useQuery } from "../../app/router.ts";
import { Button } from "../../components/button.tsx";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { EmptyState } from "../../components/empty-state.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { formatCount } from "../../components/format.ts";
import { SearchBox } from "../../components/search-box.tsx";
import { MessageView } from "./message-view.tsx";
import "./topics.css";

export interface TopicInfo {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
}

const TOPIC_COLUMNS: readonly Column<TopicInfo>[] = [
  { id: "name", header: "Topic", value: (t) => t.name, cell: (t) => <span class="mono">{t.name}</span> },
  {
    id: "partitions",
    header: "Part.",
    headerTitle: "Partitions",
    value: (t) => t.partitions,
    numeric: true,
    width: "64px",
  },
  { id: "replicas", header: "Repl.", headerTitle: "Replicas", value: (t) => t.replicas, numeric: true, width: "60px" },
];

function topicKey(topic: TopicInfo): string {
  return topic.name;
}

async function loadTopics(all: boolean): Promise<TopicInfo[]> {
  const [entity] = await runStatements(all ? "SHOW ALL TOPICS;" : "SHOW TOPICS;");
  if (entity?.["@type"] !== "kafka_topics") return [];
  return entity.topics.map((t) => ({
    name: t.name,
    partitions: t.replicaInfo.length,
    replicas: t.replicaInfo[0] ?? 0,
  }));
}

export function TopicsPage(): JSX.Element {
  const query = useQuery();
  const selected = query.get("topic");
  const filter = query.get("filter") ?? "";
  const all = query.get("internal") === "1";
  const topics = useSignal<readonly TopicInfo[] | null>(null);
  const error = useSignal<unknown>(null);
  const loading = useSignal(false);

  const load = () => {
    loading.value = true;
    loadTopics(all)
      .then(
        (list) => {
          topics.value = list;
          error.value = null;
        },
        (e: unknown) => {
          error.value = e;
        },
      )
      .finally(() => {
        loading.value = false;
      });
  };
  useEffect(load, [all]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (topics.value ?? []).filter((t) => needle === "" || t.name.toLowerCase().includes(needle));
  }, [topics.value, filter]);

  return (
    <div class="page topics-page" data-testid="topics-page">
      <div class="page-header">
        <h1 class="page-title">Topics</h1>
        <span class="muted">
          {topics.value === null ? "" : `${formatCount(shown.length)} of ${formatCount(topics.value.length)}`}
        </span>
        <span class="spacer" />
      </div>
      {error.value === null ? null : (
        <ErrorBanner error={error.value} title="Listing the topics failed" onRetry={load} />
      )}
      <div class="topics-layout">
        <section class="panel topics-list" aria-label="Topics">
          <div class="toolbar topics-list-bar">
            <SearchBox
              value={filter}
              onInput={(value) => updateQuery({ filter: value })}
              placeholder="Filter topics"
              testId="topics-filter"
            />
            <Button
              small
              variant="ghost"
              pressed={all}
              title="Show internal topics too (names starting with _)"
              onClick={() => updateQuery({ internal: all ? null : "1" })}
            >
              Internal
            </Button>
            <Button
              small
              variant="ghost"
              icon="refresh"
              ariaLabel="Refresh the topic list"
              disabled={loading.value}
              onClick={load}
            />
          </div>
          <DataTable
            columns={TOPIC_COLUMNS}
            rows={shown}
            rowKey={topicKey}
            defaultSort={{ column: "name", direction: "asc" }}
            selectedKey={selected}
            onRowClick={(topic) => updateQuery({ topic: topic.name }, { replace: false })}
            label="Topics"
            testId="topics-table"
            empty={topics.value === null ? "Loading…" : "No topic matches the filter."}
          />
        </section>
        {selected === null ? (
          <section class="panel topics-messages">
            <EmptyState title="Pick a topic" icon="topics">
              Its messages show here as they are written: key, value, time and partition.
            </EmptyState>
          </section>
        ) : (
          <MessageView key={selected} topic={selected} />
        )}
      </div>
    </div>
  );
}
