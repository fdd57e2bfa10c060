// What both panels' front ends render with: lit-html templates (text always as text, never as HTML) for
// codicons, buttons and disclosures; the state that belongs to the webview alone (open sections, picks),
// kept in the webview's saved state so it outlives a re-render and the panel being hidden; and the live
// region that tells a screen reader what changed. lit-html keeps the DOM nodes of a template across
// renders, so the focus, an open select and the scroll position stay where the admin left them.
import { html, nothing, type TemplateResult } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { repeat } from 'lit-html/directives/repeat.js';

export function icon(name: string, extra = ''): TemplateResult {
  return html`<span class=${`codicon codicon-${name} ${extra}`.trim()} aria-hidden="true"></span>`;
}

/**
 * The look of a state, the same in every panel: one icon and one colour (common.css: ok, bad, warn, hint, live) per
 * meaning. Each view maps its own states onto these (a drain row's `moving` and a maintenance host's `entering` are
 * both `running`), so a state looks alike wherever it is drawn.
 */
const STATUS_LOOK = {
  next: ['circle-large-outline', 'hint'],
  queued: ['clock', 'hint'],
  busy: ['loading', 'codicon-modifier-spin live'],
  running: ['sync', 'codicon-modifier-spin live'],
  stopping: ['loading', 'codicon-modifier-spin warn'],
  paused: ['debug-pause', 'warn'],
  waiting: ['watch', 'warn'],
  done: ['pass-filled', 'ok'],
  failed: ['error', 'bad'],
  skipped: ['circle-slash', 'hint'],
  cancelled: ['circle-slash', 'warn'],
} as const;

export type Status = keyof typeof STATUS_LOOK;

/** The icon of a state (see STATUS_LOOK), coloured; the words beside it say the same for screen readers. */
export function statusIcon(status: Status): TemplateResult {
  const [name, colour] = STATUS_LOOK[status];
  return icon(name, colour);
}

/** Text for screen readers only: what an icon or a colour says to the eye. */
export function unseen(text: string): TemplateResult {
  return html`<span class="visually-hidden">${text}</span>`;
}

export interface ButtonOptions {
  readonly icon?: string;
  readonly secondary?: boolean;
  readonly disabled?: boolean;
  readonly id?: string;
  readonly title?: string;
  /** Names it for a screen reader where its text alone is ambiguous (e.g. one "Check" per row). */
  readonly label?: string;
}

/** A toolkit button whose handler does not run while it is disabled. */
export function button(label: string, options: ButtonOptions, onClick: () => void): TemplateResult {
  const click = (event: Event) => {
    if (!(event.currentTarget as HTMLElement).hasAttribute('disabled')) onClick();
  };
  return html`<vscode-button
    icon=${ifDefined(options.icon)}
    ?secondary=${options.secondary ?? false}
    ?disabled=${options.disabled ?? false}
    id=${ifDefined(options.id)}
    title=${ifDefined(options.title)}
    aria-label=${ifDefined(options.label)}
    @click=${click}
    >${label}</vscode-button
  >`;
}

/**
 * A table: a header cell per heading (its words, or a template such as a heading only a screen reader hears),
 * and a body row per item, keyed so lit-html keeps each row's nodes across renders.
 */
export function dataTable<T>(
  className: string,
  headings: readonly (string | TemplateResult)[],
  items: readonly T[],
  key: (item: T) => string,
  row: (item: T) => TemplateResult,
): TemplateResult {
  return html`<table class=${className}>
    <thead>
      <tr>
        ${headings.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${repeat(items, key, row)}
    </tbody>
  </table>`;
}

/** A list (`ol` when `ordered`) of class `className`, an item per entry, keyed; nothing when there are none. */
export function keyedList<T>(
  className: string,
  items: readonly T[],
  key: (item: T) => string,
  item: (item: T, index: number) => TemplateResult,
  ordered = false,
): TemplateResult | typeof nothing {
  if (items.length === 0) return nothing;
  const entries = repeat(items, key, item);
  return ordered
    ? html`<ol class=${className}>
        ${entries}
      </ol>`
    : html`<ul class=${className}>
        ${entries}
      </ul>`;
}

/** What a page's templates get: how to post a message to the extension (`Out`: its protocol's), and the webview's own state. */
export interface PageContext<Out> {
  readonly post: (message: Out) => void;
  readonly ui: UiState;
}

/** Where the saved state lives: the webview's `vscode.getState/setState`, or memory in a test. */
export interface StateStore {
  getState(): unknown;
  setState(state: unknown): void;
}

interface Saved {
  /** Disclosures open, by id. */
  opened: string[];
  /** Picks and selections, by key (a fix's choice, the matrix's selected pair). */
  values: Record<string, string>;
}

function savedFrom(raw: unknown): Saved {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const opened = Array.isArray(o.opened) ? o.opened.filter((id): id is string => typeof id === 'string') : [];
  const values: Record<string, string> = {};
  if (typeof o.values === 'object' && o.values !== null)
    for (const [k, v] of Object.entries(o.values as Record<string, unknown>)) if (typeof v === 'string') values[k] = v;
  return { opened, values };
}

/** What the admin opened or picked in the webview only: read back on every render, saved on every change. */
export class UiState {
  private readonly saved: Saved;

  /** `changed` renders again after a change the page must show at once (a selection). */
  constructor(
    private readonly store: StateStore,
    private readonly changed: () => void = () => undefined,
  ) {
    this.saved = savedFrom(store.getState());
  }

  isOpen(id: string): boolean {
    return this.saved.opened.includes(id);
  }

  setOpen(id: string, open: boolean): void {
    if (open === this.isOpen(id)) return;
    this.saved.opened = open ? [...this.saved.opened, id] : this.saved.opened.filter((o) => o !== id);
    this.save();
  }

  value(key: string): string | undefined {
    return this.saved.values[key];
  }

  /** Keeps `value` under `key` (undefined: forgets it); `show` renders again. */
  setValue(key: string, value: string | undefined, show = false): void {
    if (value === undefined) delete this.saved.values[key];
    else this.saved.values[key] = value;
    this.save();
    if (show) this.changed();
  }

  private save(): void {
    this.store.setState({ opened: this.saved.opened, values: this.saved.values });
  }
}

/** Parts of a key joined so that no part can run into the next. */
export const key = (...parts: string[]): string => parts.join('\u0000');

/**
 * A native disclosure (`<details>`/`<summary>`: a button to assistive technology, with its expanded state,
 * Enter and Space) that stays open while its `id` is open in the saved state.
 */
export function disclosure(ui: UiState, id: string, heading: string, className: string, content: unknown): TemplateResult {
  const toggle = (event: Event) => ui.setOpen(id, (event.currentTarget as HTMLDetailsElement).open);
  return html`<details class=${`disclosure ${className}`.trim()} ?open=${ui.isOpen(id)} @toggle=${toggle}>
    <summary>${heading}</summary>
    ${content}
  </details>`;
}

export { nothing };

// One polite live log, outside the part lit-html renders, so each message is announced once.
const KEPT_MESSAGES = 10;
let region: HTMLElement | undefined;
let said = new Map<string, string>();

/**
 * Tells a screen reader what changed: `lines` is what the page says now, by subject (a VM, a job); each
 * line that is new or differs since the last call is added to the live log (its last few kept).
 */
export function announce(lines: ReadonlyMap<string, string>): void {
  if (!region?.isConnected) {
    region = document.createElement('div');
    region.id = 'announcer';
    region.setAttribute('role', 'log');
    region.setAttribute('aria-live', 'polite');
    region.className = 'visually-hidden';
    document.body.append(region);
  }
  const changed = [...lines].filter(([subject, text]) => said.get(subject) !== text).map(([, text]) => text);
  said = new Map(lines);
  for (const text of changed) {
    const p = document.createElement('p');
    p.textContent = text;
    region.append(p);
  }
  while (region.childElementCount > KEPT_MESSAGES) region.firstElementChild?.remove();
}
