// A link inside the app: a real <a href> (open in a new tab works), followed without reloading the page.
import type { ComponentChildren, JSX } from "preact";
import { followLink, hrefOf } from "../app/router.ts";

export interface LinkProps {
  path: string;
  query?: Record<string, string>;
  children: ComponentChildren;
  class?: string;
  title?: string;
  testId?: string;
  /** aria-current="page" for the link to the page shown. */
  current?: boolean;
}

export function Link(props: LinkProps): JSX.Element {
  return (
    <a
      href={hrefOf(props.path, props.query)}
      class={props.class}
      title={props.title}
      data-testid={props.testId}
      aria-current={props.current === true ? "page" : undefined}
      onClick={followLink}
    >
      {props.children}
    </a>
  );
}
