// Setting a writable tag from the overview: a modal that names the machine, tag, address, unit and current value,
// takes the new value and sends it only on Confirm. The server hands it to the sink that allow-lists the tag; the
// dialog shows where the record went or why it was refused, and the tag's row shows the value once it is read back.
import { signal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { liveTag, type PlantJob, type PlantTag, tagKey } from "../../api/live.ts";
import { parseWriteValue, type WriteReceipt, writeTag } from "../../api/write.ts";
import { Button } from "../../components/button.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { formatValue, isFloatAddress, NO_VALUE } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";

export interface WriteTarget {
  connector: string;
  source: string;
  job: PlantJob;
  tag: PlantTag;
}

/** The tag whose dialog is open; the overview renders the dialog while it is set. */
export const writeTarget = signal<WriteTarget | null>(null);

type Outcome =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "sent"; receipt: WriteReceipt; text: string }
  | { kind: "failed"; error: unknown };

/** A writable tag's "Set…" button on its row. */
export function SetButton(props: WriteTarget): JSX.Element {
  const key = tagKey(props.connector, props.source, props.job.name, props.tag.alias);
  return (
    <button
      type="button"
      class="button button-small tag-set"
      title={`Set ${props.tag.alias} on ${props.source} (written by sink ${props.tag.writable?.sink ?? "?"})`}
      data-testid="tag-set"
      data-tag={key}
      onClick={() => {
        writeTarget.value = props;
      }}
    >
      Set…
    </button>
  );
}

function CurrentValue({ target }: { target: WriteTarget }): JSX.Element {
  const reading = liveTag(tagKey(target.connector, target.source, target.job.name, target.tag.alias)).reading.value;
  const text =
    reading === undefined
      ? NO_VALUE
      : reading.quality === "BAD"
        ? `${reading.error?.code ?? "BAD"}`
        : formatValue(reading.value, isFloatAddress(target.tag.address));
  return <dd data-testid="write-current">{text}</dd>;
}

export function WriteDialog({ target }: { target: WriteTarget }): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState("");
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });
  const { tag } = target;

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const confirm = async (event: Event) => {
    event.preventDefault();
    if (outcome.kind === "sending" || text.trim() === "") return;
    setOutcome({ kind: "sending" });
    try {
      const value = parseWriteValue(text, tag.address);
      const receipt = await writeTag({ connector: target.connector, source: target.source, tag: tag.alias, value });
      setOutcome({ kind: "sent", receipt, text });
    } catch (error) {
      setOutcome({ kind: "failed", error });
    }
  };
  const sentThis = outcome.kind === "sent" && outcome.text === text;

  return (
    <dialog
      ref={dialog}
      class="write-dialog panel"
      data-testid="write-dialog"
      aria-labelledby="write-dialog-title"
      onClose={() => {
        writeTarget.value = null;
      }}
    >
      <form onSubmit={confirm}>
        <h2 id="write-dialog-title">
          Set {tag.alias} on {target.source}
        </h2>
        <dl class="write-facts">
          <dt>Machine</dt>
          <dd>{target.source}</dd>
          <dt>Tag</dt>
          <dd>{tag.alias}</dd>
          <dt>Address</dt>
          <dd class="mono">{tag.address}</dd>
          <dt>Unit</dt>
          <dd>{tag.unit ?? NO_VALUE}</dd>
          <dt>Current value</dt>
          <CurrentValue target={target} />
          <dt>Written by</dt>
          <dd>
            sink <strong>{tag.writable?.sink ?? "?"}</strong> of {target.connector}, through topic{" "}
            <span class="mono">{tag.writable?.topic ?? "?"}</span>
          </dd>
        </dl>
        <label for="write-value">New value{tag.unit === undefined ? "" : ` (${tag.unit})`}</label>
        <input
          id="write-value"
          type="text"
          autocomplete="off"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          data-testid="write-value"
        />
        <p class="muted small">
          The machine is written only when you confirm. The record expires after 30 s; every write is logged.
        </p>
        {outcome.kind === "sent" ? (
          <p class="write-sent" role="status" data-testid="write-result">
            <Icon name="good" size={14} />
            Sent {outcome.text.trim()} to {outcome.receipt.topic} (partition {outcome.receipt.partition}, offset{" "}
            {outcome.receipt.offset}). The sink writes it to {target.source}; the value shows here with the next sample.
          </p>
        ) : null}
        {outcome.kind === "failed" ? (
          <ErrorBanner error={outcome.error} title="Not written" testId="write-error" />
        ) : null}
        <div class="toolbar">
          <span class="spacer" />
          <Button onClick={() => dialog.current?.close()} testId="write-cancel">
            {outcome.kind === "sent" ? "Close" : "Cancel"}
          </Button>
          <Button
            type="submit"
            variant="primary"
            disabled={outcome.kind === "sending" || text.trim() === "" || sentThis}
            testId="write-confirm"
          >
            {outcome.kind === "sending" ? "Sending…" : "Confirm"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
