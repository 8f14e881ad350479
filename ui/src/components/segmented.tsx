// A row of mutually exclusive choices (a time range, a view mode): one pressed at a time, like radio buttons (announced as toggle buttons, the pressed one is the choice).
import type { JSX } from "preact";

export interface SegmentedOption<T extends string> {
  value: T;
  label: string;
  title?: string;
}

export interface SegmentedProps<T extends string> {
  options: readonly SegmentedOption<T>[];
  value: T;
  onChange: (value: T) => void;
  /** Accessible name of the group. */
  label: string;
  testId?: string;
}

export function Segmented<T extends string>(props: SegmentedProps<T>): JSX.Element {
  return (
    <fieldset class="segmented" aria-label={props.label} data-testid={props.testId}>
      {props.options.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={option.value === props.value}
          class={option.value === props.value ? "segment segment-on" : "segment"}
          title={option.title}
          data-value={option.value}
          onClick={() => props.onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}
