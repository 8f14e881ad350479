// A filter field: a search icon, the text, a clear button, and Escape to clear. The value is the caller's (often a
// signal kept in the URL).
import type { JSX } from "preact";
import { Icon } from "./icon.tsx";

export interface SearchBoxProps {
  value: string;
  onInput: (value: string) => void;
  placeholder?: string;
  /** Accessible name (defaults to the placeholder). */
  label?: string;
  testId?: string;
}

export function SearchBox(props: SearchBoxProps): JSX.Element {
  return (
    <label class="search-box">
      <Icon name="search" size={14} />
      <input
        type="search"
        value={props.value}
        placeholder={props.placeholder}
        aria-label={props.label ?? props.placeholder}
        data-testid={props.testId}
        spellcheck={false}
        autocomplete="off"
        onInput={(event) => props.onInput(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && props.value !== "") {
            event.preventDefault();
            props.onInput("");
          }
        }}
      />
      {props.value === "" ? null : (
        <button type="button" class="search-box-clear" aria-label="Clear the filter" onClick={() => props.onInput("")}>
          <Icon name="close" size={12} />
        </button>
      )}
    </label>
  );
}
