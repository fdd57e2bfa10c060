// Every node's state lives in its contextValue, built here only: `hyperv:<kind>+flag+flag`, matched in
// package.json with `viewItem =~ /^hyperv:vm\b.*\+running\b/`.

export type NodeKind = 'cluster' | 'host' | 'vm' | 'error' | 'loading';

export function contextValue(kind: NodeKind, flags: Record<string, boolean> = {}): string {
  const on = Object.entries(flags)
    .filter(([, value]) => value)
    .map(([flag]) => `+${flag}`)
    .join('');
  return `hyperv:${kind}${on}`;
}
