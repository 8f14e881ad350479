// What a view shows when it has nothing to show yet: what is missing, why, and what to do about it.
import type { ComponentChildren, JSX } from "preact";
import { Icon, type IconName } from "./icon.tsx";

export interface EmptyStateProps {
  title: ComponentChildren;
  children?: ComponentChildren;
  icon?: IconName;
  /** A button or link that fixes it. */
  action?: ComponentChildren;
  testId?: string;
}

export function EmptyState(props: EmptyStateProps): JSX.Element {
  return (
    <div class="empty-state" data-testid={props.testId}>
      <Icon name={props.icon ?? "info"} size={24} />
      <p class="empty-state-title">{props.title}</p>
      {props.children === undefined ? null : <div class="empty-state-body">{props.children}</div>}
      {props.action === undefined ? null : <div class="empty-state-action">{props.action}</div>}
    </div>
  );
}
