// The Connectors page (/connectors): every connector of the worker group with its state, tasks and their sources'
// health, the actions on it, a source's tags and the configuration; the list is read again every few seconds.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { type ConnectorOverview, listConnectors } from "../../api/connect.ts";
import { Button } from "../../components/button.tsx";
import { EmptyState } from "../../components/empty-state.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { ConnectorCard } from "./connector-card.tsx";
import "./connectors.css";

const POLL_MS = 3000;
/** After an action the state changes through the group's topics: look again soon, not only at the next poll. */
const SETTLE_MS = [300, 1200, 2500];

export function ConnectorsPage(): JSX.Element {
  const connectors = useSignal<readonly ConnectorOverview[] | null>(null);
  const error = useSignal<unknown>(null);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);

  const load = () =>
    listConnectors().then(
      (list) => {
        connectors.value = list;
        error.value = null;
      },
      (e: unknown) => {
        error.value = e;
      },
    );

  useEffect(() => {
    void load();
    const poll = setInterval(() => {
      if (!document.hidden) void load();
    }, POLL_MS);
    return () => {
      clearInterval(poll);
      for (const timer of timers.current) clearTimeout(timer);
    };
  }, []);

  const changed = () => {
    void load();
    for (const delay of SETTLE_MS) timers.current.push(setTimeout(() => void load(), delay));
  };

  const list = connectors.value;
  return (
    <div class="page connectors-page" data-testid="connectors-page">
      <div class="page-header">
        <h1 class="page-title">Connectors</h1>
        <span class="muted">{list === null ? "" : `${list.length} in this worker group`}</span>
        <span class="spacer" />
        <Button small variant="ghost" icon="refresh" onClick={() => void load()}>
          Refresh
        </Button>
      </div>
      {error.value === null ? null : (
        <ErrorBanner error={error.value} title="Reading the connectors failed" onRetry={() => void load()} />
      )}
      {list !== null && list.length === 0 ? (
        <EmptyState title="No connectors" icon="connectors">
          Add one with <code>POST /api/connect/connectors</code> or run <code>fabrik connect run plant.yaml</code>.
        </EmptyState>
      ) : null}
      {(list ?? []).map((overview) => (
        <ConnectorCard key={overview.name} overview={overview} onChanged={changed} />
      ))}
    </div>
  );
}
