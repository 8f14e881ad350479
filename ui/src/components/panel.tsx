// A titled surface for one subject on a page (a machine, a chart, a form): a header with the title, optional
// details and actions on the right, and the body. Cards in a grid are Panels too.
import type { ComponentChildren, JSX } from "preact";

export interface PanelProps {
  title?: ComponentChildren;
  /** Quiet text beside the title (a count, a protocol, a time). */
  subtitle?: ComponentChildren;
  /** Buttons or pills at the right of the header. */
  actions?: ComponentChildren;
  children?: ComponentChildren;
  /** The body without padding: for tables and charts that run to the panel's edges. */
  flush?: boolean;
  /** Extra classes on the panel element. */
  class?: string;
  testId?: string;
  /** Makes the panel a landmark that screen readers list under its title. */
  ariaLabel?: string;
}

export function Panel(props: PanelProps): JSX.Element {
  const hasHeader = props.title !== undefined || props.actions !== undefined || props.subtitle !== undefined;
  return (
    <section
      class={props.class === undefined ? "panel" : `panel ${props.class}`}
      data-testid={props.testId}
      aria-label={props.ariaLabel}
    >
      {hasHeader ? (
        <header class="panel-header">
          <div class="panel-heading">
            {props.title === undefined ? null : <h2 class="panel-title">{props.title}</h2>}
            {props.subtitle === undefined ? null : <span class="panel-subtitle">{props.subtitle}</span>}
          </div>
          {props.actions === undefined ? null : <div class="panel-actions">{props.actions}</div>}
        </header>
      ) : null}
      <div class={props.flush === true ? "panel-body panel-body-flush" : "panel-body"}>{props.children}</div>
    </section>
  );
}
