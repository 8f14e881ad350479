// The one table of the UI: sortable columns, a header that stays while the body scrolls, and only the rows in view
// rendered (a fixed row height makes that exact), so tens of thousands of rows and streams of new ones stay smooth.
// A row re-renders only when its object changes: give changed rows new objects and keep the others.
import { Component, type ComponentChildren, type JSX } from "preact";
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { Icon } from "./icon.tsx";
import "./data-table.css";

export type CellValue = string | number | bigint | boolean | null | undefined;

export interface Column<Row> {
  /** Stable id: the sort state names it. */
  id: string;
  header: ComponentChildren;
  /** The cell's value: sorted by, and shown as text when there is no `cell`. */
  value?: (row: Row) => CellValue;
  /**
   * The cell's content when it is more than its value (a pill, a link, a unit). Content that reads signals must be a
   * component of its own (`<LiveValue …/>`): a row re-renders only when its row object changes.
   */
  cell?: (row: Row) => ComponentChildren;
  /** Sortable by clicking its header (default: when it has a value). */
  sortable?: boolean;
  /** Numbers: right-aligned tabular figures. */
  numeric?: boolean;
  align?: "start" | "center" | "end";
  /** A CSS width ("120px", "20%"); columns without one share what is left. */
  width?: string;
  /** Hover text of a cell (default: its value, for text that the column cuts off). */
  title?: (row: Row) => string | undefined;
  headerTitle?: string;
}

export type SortDirection = "asc" | "desc";

export interface SortState {
  column: string;
  direction: SortDirection;
}

export interface DataTableProps<Row> {
  /** Keep the same array between renders (module constant or useMemo): a new one re-renders every row. */
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string | number;
  /** The sort shown (controlled); leave undefined to let the table keep its own, starting at defaultSort. */
  sort?: SortState | null;
  defaultSort?: SortState | null;
  onSortChange?: (sort: SortState | null) => void;
  onRowClick?: (row: Row) => void;
  selectedKey?: string | number | null;
  rowClass?: (row: Row) => string | undefined;
  /** Pixel height of every row (default 30). */
  rowHeight?: number;
  /** The most the table grows to before it scrolls (CSS length); default: the height of its container. */
  maxHeight?: string;
  /** Keeps the newest (last) row in view as rows arrive, while the user is at the bottom. */
  stickToBottom?: boolean;
  /** Shown instead of the body when there are no rows. */
  empty?: ComponentChildren;
  /** Accessible name of the table. */
  label?: string;
  testId?: string;
}

const OVERSCAN = 8;
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compareValues(a: CellValue, b: CellValue): number {
  const aMissing = a === null || a === undefined || (typeof a === "number" && Number.isNaN(a));
  const bMissing = b === null || b === undefined || (typeof b === "number" && Number.isNaN(b));
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return collator.compare(String(a), String(b));
}

/** The rows in the order of a sort (a stable sort; missing values last in both directions). */
export function sortRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], sort: SortState | null): Row[] {
  const column = sort === null ? undefined : columns.find((candidate) => candidate.id === sort.column);
  const value = column?.value;
  if (sort === null || value === undefined) return rows.slice();
  const sign = sort.direction === "asc" ? 1 : -1;
  const keyed = rows.map((row, index) => ({ row, index, key: value(row) }));
  keyed.sort((a, b) => {
    const aMissing = a.key === null || a.key === undefined;
    const bMissing = b.key === null || b.key === undefined;
    if (aMissing !== bMissing) return aMissing ? 1 : -1;
    return sign * compareValues(a.key, b.key) || a.index - b.index;
  });
  return keyed.map((entry) => entry.row);
}

function nextSort(current: SortState | null, column: string): SortState | null {
  if (current === null || current.column !== column) return { column, direction: "asc" };
  if (current.direction === "asc") return { column, direction: "desc" };
  return null;
}

function textOf(value: CellValue): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

function cellClass<Row>(column: Column<Row>): string {
  const align = column.align ?? (column.numeric === true ? "end" : "start");
  return column.numeric === true ? `dt-cell dt-${align} dt-numeric` : `dt-cell dt-${align}`;
}

interface RowProps<Row> {
  row: Row;
  columns: readonly Column<Row>[];
  selected: boolean;
  extraClass: string | undefined;
  onRowClick: ((row: Row) => void) | undefined;
}

/** One body row; skips rendering unless its row object, the columns or its selection changed. */
class TableRow<Row> extends Component<RowProps<Row>> {
  override shouldComponentUpdate(next: RowProps<Row>): boolean {
    const current = this.props;
    return (
      next.row !== current.row ||
      next.columns !== current.columns ||
      next.selected !== current.selected ||
      next.extraClass !== current.extraClass ||
      next.onRowClick !== current.onRowClick
    );
  }

  override render(): JSX.Element {
    const { row, columns, selected, extraClass, onRowClick } = this.props;
    const classes = ["dt-row"];
    if (selected) classes.push("dt-selected");
    if (onRowClick !== undefined) classes.push("dt-clickable");
    if (extraClass !== undefined) classes.push(extraClass);
    return (
      <tr
        class={classes.join(" ")}
        aria-selected={selected ? "true" : undefined}
        tabIndex={onRowClick === undefined ? undefined : 0}
        onClick={onRowClick === undefined ? undefined : () => onRowClick(row)}
        onKeyDown={
          onRowClick === undefined
            ? undefined
            : (event) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  onRowClick(row);
                }
              }
        }
      >
        {columns.map((column) => {
          const value = column.value?.(row);
          const title = column.title === undefined ? textOf(value) : column.title(row);
          return (
            <td key={column.id} class={cellClass(column)} title={title === "" ? undefined : title}>
              {column.cell === undefined ? textOf(value) : column.cell(row)}
            </td>
          );
        })}
      </tr>
    );
  }
}

export function DataTable<Row>(props: DataTableProps<Row>): JSX.Element {
  const rowHeight = props.rowHeight ?? 30;
  const [ownSort, setOwnSort] = useState<SortState | null>(props.defaultSort ?? null);
  const sort = props.sort === undefined ? ownSort : props.sort;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  const atBottom = useRef(true);
  // One click handler for the table's life, so that a caller's new arrow function does not re-render every row.
  const clickHandler = useRef(props.onRowClick);
  clickHandler.current = props.onRowClick;
  const onRowClick = useMemo(() => (row: Row) => clickHandler.current?.(row), []);

  const sorted = useMemo(() => sortRows(props.rows, props.columns, sort), [props.rows, props.columns, sort]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => {
      setViewport((current) =>
        current.height === element.clientHeight ? current : { top: element.scrollTop, height: element.clientHeight },
      );
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // New rows at the bottom: follow them if the reader was at the bottom before they came.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (props.stickToBottom !== true || element === null || !atBottom.current) return;
    element.scrollTop = element.scrollHeight;
  }, [sorted, props.stickToBottom]);

  const onScroll = (event: Event) => {
    const element = event.currentTarget as HTMLDivElement;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < rowHeight;
    setViewport({ top: element.scrollTop, height: element.clientHeight });
  };

  const changeSort = (column: string) => {
    const next = nextSort(sort, column);
    if (props.sort === undefined) setOwnSort(next);
    props.onSortChange?.(next);
  };

  const first = Math.max(0, Math.floor(viewport.top / rowHeight) - OVERSCAN);
  const last = Math.min(sorted.length, Math.ceil((viewport.top + viewport.height) / rowHeight) + OVERSCAN);
  const visible = sorted.slice(first, last);

  return (
    <div
      ref={scroller}
      class="dt-scroll"
      style={{ maxHeight: props.maxHeight, "--dt-row-height": `${rowHeight}px` }}
      onScroll={onScroll}
      data-testid={props.testId}
      data-rows={sorted.length}
    >
      <table class="dt" aria-label={props.label} aria-rowcount={sorted.length + 1}>
        <colgroup>
          {props.columns.map((column) => (
            <col key={column.id} style={column.width === undefined ? undefined : { width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {props.columns.map((column) => {
              const sortable = column.sortable ?? column.value !== undefined;
              const direction = sort?.column === column.id ? sort.direction : undefined;
              return (
                <th
                  key={column.id}
                  scope="col"
                  class={cellClass(column)}
                  title={column.headerTitle}
                  aria-sort={direction === undefined ? undefined : direction === "asc" ? "ascending" : "descending"}
                >
                  {sortable ? (
                    <button type="button" class="dt-sort" onClick={() => changeSort(column.id)}>
                      <span>{column.header}</span>
                      {direction === undefined ? null : (
                        <Icon name={direction === "asc" ? "sortAsc" : "sortDesc"} size={10} />
                      )}
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {first > 0 ? <tr class="dt-spacer" style={{ height: `${first * rowHeight}px` }} /> : null}
          {visible.map((row, offset) => {
            const key = props.rowKey(row, first + offset);
            return (
              <TableRow
                key={key}
                row={row}
                columns={props.columns}
                selected={props.selectedKey !== undefined && props.selectedKey === key}
                extraClass={props.rowClass?.(row)}
                onRowClick={props.onRowClick === undefined ? undefined : onRowClick}
              />
            );
          })}
          {last < sorted.length ? (
            <tr class="dt-spacer" style={{ height: `${(sorted.length - last) * rowHeight}px` }} />
          ) : null}
        </tbody>
      </table>
      {sorted.length === 0 && props.empty !== undefined ? <div class="dt-empty">{props.empty}</div> : null}
    </div>
  );
}
