// What both panels' front ends build their DOM with: elements (text always as text, never as HTML),
// codicons, buttons, and parts rebuilt only when their data changed.

export type Child = Node | string | undefined | false;

/** Builds an element; text goes in as text, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | boolean>, ...children: Child[]): HTMLElementTagNameMap[K];
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

/** A toolkit button whose handler does not run while it is disabled. */
export function button(label: string, options: { icon?: string; secondary?: boolean; disabled?: boolean; id?: string; title?: string }, onClick: () => void): HTMLElement {
  const b = el(
    'vscode-button',
    {
      ...(options.icon ? { icon: options.icon } : {}),
      secondary: options.secondary ?? false,
      disabled: options.disabled ?? false,
      ...(options.id ? { id: options.id } : {}),
      ...(options.title ? { title: options.title } : {}),
    },
    label,
  );
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
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
