// The UI's buttons: primary for the one main action of a view, secondary for the rest, danger for what stops or
// deletes, ghost for quiet actions inside tables and toolbars. An icon may lead the label; a pressed state makes
// a toggle.
import type { ComponentChildren, JSX } from "preact";
import { Icon, type IconName } from "./icon.tsx";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

export interface ButtonProps {
  children?: ComponentChildren;
  variant?: ButtonVariant;
  icon?: IconName;
  /** For toggles: shown pressed, announced as aria-pressed. */
  pressed?: boolean;
  disabled?: boolean;
  /** Small: inside tables and dense toolbars. */
  small?: boolean;
  type?: "button" | "submit" | "reset";
  title?: string;
  /** For buttons with only an icon. */
  ariaLabel?: string;
  testId?: string;
  onClick?: (event: MouseEvent) => void;
}

export function Button(props: ButtonProps): JSX.Element {
  const classes = ["button", `button-${props.variant ?? "secondary"}`];
  if (props.small === true) classes.push("button-small");
  if (props.children === undefined) classes.push("button-icon-only");
  return (
    <button
      type={props.type ?? "button"}
      class={classes.join(" ")}
      disabled={props.disabled}
      title={props.title}
      aria-label={props.ariaLabel}
      aria-pressed={props.pressed}
      data-testid={props.testId}
      onClick={props.onClick}
    >
      {props.icon === undefined ? null : <Icon name={props.icon} size={props.small === true ? 12 : 14} />}
      {props.children === undefined ? null : <span>{props.children}</span>}
    </button>
  );
}
