// What both panels' front ends build their DOM with: elements (text always as text, never as HTML),
// codicons and buttons.

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
