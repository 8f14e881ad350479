// A failure said in place: the server's message (ApiError carries it), the HTTP status when there was one, and the
// way out (retry, dismiss). role="alert" so that screen readers announce it.
import type { ComponentChildren, JSX } from "preact";
import { ApiError } from "../api/http.ts";
import { Button } from "./button.tsx";
import { Icon } from "./icon.tsx";

export interface ErrorBannerProps {
  /** An Error (ApiError shows its status), or a message. */
  error: unknown;
  /** What was being done, e.g. "Loading the history failed". */
  title?: ComponentChildren;
  onRetry?: () => void;
  onDismiss?: () => void;
  /** A warning (amber) rather than an error (red): for something that works, but not fully. */
  warning?: boolean;
  testId?: string;
}

/** The message of anything thrown, for people. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? error.message : `${error.message} (HTTP ${error.status})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorBanner(props: ErrorBannerProps): JSX.Element {
  const tone = props.warning === true ? "warn" : "bad";
  return (
    <div class={`banner banner-${tone}`} role="alert" data-testid={props.testId ?? "error-banner"}>
      <Icon name={tone} size={16} />
      <div class="banner-text">
        {props.title === undefined ? null : <strong>{props.title}: </strong>}
        <span>{messageOf(props.error)}</span>
      </div>
      {props.onRetry === undefined ? null : (
        <Button small icon="refresh" onClick={props.onRetry}>
          Retry
        </Button>
      )}
      {props.onDismiss === undefined ? null : (
        <Button small variant="ghost" icon="close" ariaLabel="Dismiss" onClick={props.onDismiss} />
      )}
    </div>
  );
}
