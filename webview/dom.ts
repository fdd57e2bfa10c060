// What both panels' front ends build their DOM with: elements (text always as text, never as HTML),
// codicons, buttons, disclosures, and parts rebuilt only when their data changed; and what keeps them usable
// with a keyboard and a screen reader across those rebuilds (the focus given back, a live region).
import './common.css';

export type Child = Node | string | undefined | false;

/** Builds an element; text goes in as text, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string | boolean>,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Record<string, string | boolean>, ...children: Child[]): HTMLElement;
export function el(tag: string, attrs: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === true) node.setAttribute(k, '');
    else if (v !== false) node.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== false) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

export function icon(name: string, extra = ''): HTMLElement {
  return el('span', { class: `codicon codicon-${name} ${extra}`.trim(), 'aria-hidden': 'true' });
}

/** Text for screen readers only: what an icon or a colour says to the eye. */
export function unseen(text: string): HTMLElement {
  return el('span', { class: 'visually-hidden' }, text);
}

/**
 * A toolkit button whose handler does not run while it is disabled. `label` names it for a screen reader
 * where its text alone is ambiguous (e.g. one "Check" per row).
 */
export function button(
  label: string,
  options: { icon?: string; secondary?: boolean; disabled?: boolean; id?: string; title?: string; label?: string },
  onClick: () => void,
): HTMLElement {
  const b = el(
    'vscode-button',
    {
      ...(options.icon ? { icon: options.icon } : {}),
      secondary: options.secondary ?? false,
      disabled: options.disabled ?? false,
      ...(options.id ? { id: options.id } : {}),
      ...(options.title ? { title: options.title } : {}),
      ...(options.label ? { 'aria-label': options.label } : {}),
    },
    label,
  );
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

/**
 * A native disclosure (`<details>`/`<summary>`: a button to assistive technology, with its expanded state,
 * Enter and Space) that stays open across renders while its `id` is in `opened`.
 */
export function disclosure(
  opened: Set<string>,
  id: string,
  heading: string,
  attrs: Record<string, string>,
  ...children: Child[]
): HTMLElement {
  const node = el(
    'details',
    { ...attrs, class: `disclosure ${attrs.class ?? ''}`.trim(), open: opened.has(id) },
    el('summary', {}, heading),
    ...children,
  );
  node.addEventListener('toggle', () => (node.open ? opened.add(id) : opened.delete(id)));
  return node;
}

// One polite live log, outside the parts that are rebuilt, so each message is announced once.
const KEPT_MESSAGES = 10;
let region: HTMLElement | undefined;
let said = new Map<string, string>();

/**
 * Tells a screen reader what changed: `lines` is what the page says now, by subject (a VM, a job); each
 * line that is new or differs since the last call is added to the live log (its last few kept).
 */
export function announce(lines: ReadonlyMap<string, string>): void {
  if (!region) {
    region = el('div', { id: 'announcer', role: 'log', 'aria-live': 'polite', class: 'visually-hidden' });
    document.body.append(region);
  }
  const changed = [...lines].filter(([subject, text]) => said.get(subject) !== text).map(([, text]) => text);
  said = new Map(lines);
  for (const text of changed) region.append(el('p', {}, text));
  while (region.childElementCount > KEPT_MESSAGES) region.firstElementChild?.remove();
}

/**
 * Runs a render and, when it replaced the element that had the focus, gives the focus to its successor:
 * the element of the same id or `data-focus`.
 */
export function keepingFocus(render: () => void): void {
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const selector = active?.id
    ? `#${CSS.escape(active.id)}`
    : active?.dataset.focus
      ? `[data-focus="${CSS.escape(active.dataset.focus)}"]`
      : undefined;
  render();
  if (active && !active.isConnected && selector) document.querySelector<HTMLElement>(selector)?.focus();
}

// Parts of the page are rebuilt only when their data changed, so progress coming in does not reset what
// the admin is choosing elsewhere.
const built = new Map<string, { json: string; node: HTMLElement }>();

/** The part `id` built from `data`: the node built last time when the data is the same. */
export function part(id: string, data: unknown, build: () => HTMLElement): HTMLElement {
  const json = JSON.stringify(data);
  const old = built.get(id);
  if (old && old.json === json) return old.node;
  const node = build();
  built.set(id, { json, node });
  return node;
}

/** Puts `children` into `container`, touching the DOM only when they differ. */
export function place(container: HTMLElement, children: readonly HTMLElement[]): void {
  const current = [...container.children];
  if (current.length !== children.length || current.some((n, i) => n !== children[i])) container.replaceChildren(...children);
}

/** After a render: forgets the parts no longer on the page. */
export function forgetDetached(): void {
  for (const [id, { node }] of [...built]) if (!node.isConnected) built.delete(id);
}
