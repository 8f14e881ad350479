// A button for an action worth a second thought (restart a connector, terminate a query): the first click asks in
// place ("Restart? Yes / No"), the second does it. No modal: the question stays next to what it is about.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Button, type ButtonProps } from "../../components/button.tsx";
import "./confirm-button.css";

export interface ConfirmButtonProps extends Omit<ButtonProps, "onClick"> {
  /** The question, e.g. "Restart every task?" */
  question: string;
  confirmLabel?: string;
  onConfirm: () => void;
}

/** How long the question waits for an answer before it goes away by itself. */
const ASK_MS = 8000;

export function ConfirmButton(props: ConfirmButtonProps): JSX.Element {
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(() => setAsking(false), ASK_MS);
    return () => clearTimeout(timer);
  }, [asking]);
  const { question, confirmLabel, onConfirm, testId, ...button } = props;
  if (!asking) return <Button {...button} testId={testId} onClick={() => setAsking(true)} />;
  return (
    <span class="confirm">
      <span class="confirm-question">{question}</span>
      <Button
        small={props.small}
        variant={props.variant === "danger" ? "danger" : "primary"}
        testId={testId === undefined ? undefined : `${testId}-confirm`}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel ?? "Yes"}
      </Button>
      <Button small={props.small} variant="ghost" onClick={() => setAsking(false)}>
        No
      </Button>
    </span>
  );
}
