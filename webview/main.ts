import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode/codicons/dist/codicon.css';
import './panel.css';
import type { FromWebview, HostSummary, PanelIntent, PanelState, ToWebview, VmSummary } from '../src/panel/protocol';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

/** Builds an element; text goes in as text, never as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement;
function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

const next: Record<PanelIntent, string> = {
  check: 'Preflight checks for the chosen destination appear here.',
  migrate: 'Choose a destination below; its checks and the move appear here.',
  copy: 'The migration as a PowerShell script appears here.',
  drain: 'The drain plan for these hosts appears here.',
  configure: 'The live-migration settings and delegation matrix of these hosts appear here.',
  moves: 'Running and finished migrations appear here.',
};

function facts(rows: [string, string][]): HTMLElement {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', {}, v));
  return dl;
}

function vmCard(vm: VmSummary): HTMLElement {
  return el(
    'section',
    { class: 'card', 'data-vm': vm.name },
    el('h3', {}, icon(vm.state === 'Running' ? 'vm-running' : 'vm-outline'), ` ${vm.name} `, el('vscode-badge', {}, vm.state)),
    facts([
      ['Host', vm.host],
      ['Status', vm.status],
      ['Memory', `${vm.memory}, ${vm.processors} vCPU`],
      ['Configuration version', vm.version],
      ['Disks', vm.disks.join('; ') || 'none'],
      ['Network', vm.adapters.join('; ') || 'none'],
      ['DVD', vm.iso.join('; ') || 'no ISO'],
      ['Clustered', vm.clustered ? 'yes' : 'no'],
    ]),
  );
}

function hostRow(host: HostSummary, selectedVms: readonly VmSummary[]): HTMLElement {
  const tr = el('tr', { 'data-host': host.name });
  const here = selectedVms.length > 0 && selectedVms.every((vm) => vm.host.toLowerCase() === host.name.toLowerCase());
  tr.append(
    el('td', {}, icon(host.reachable ? 'server' : 'error'), ` ${host.name}${host.cluster ? ` (${host.cluster})` : ''}${here ? ' — source' : ''}`),
    el('td', {}, host.problem ?? host.cpu ?? ''),
    el('td', {}, host.memoryFree ?? ''),
    el('td', {}, host.diskFree ?? ''),
    el('td', {}, host.migration ?? ''),
    el('td', {}, host.authentication ?? ''),
    el('td', {}, (host.switches ?? []).join(', ')),
    el('td', {}, (host.versions ?? []).at(-1) ?? ''),
  );
  return tr;
}

function render(state: PanelState): void {
  document.title = state.title;
  const header = el(
    'header',
    {},
    el('h1', {}, state.title),
    el('p', { class: 'hint' }, state.lab ? 'Connected to the built-in lab (simulated Hyper-V hosts).' : 'Connected to your Hyper-V hosts.'),
  );
  const toolbar = el('div', { class: 'toolbar' });
  const refresh = el('vscode-button', { secondary: '', id: 'refresh' }, 'Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  const log = el('vscode-button', { secondary: '', id: 'show-log' }, 'Show Log');
  log.addEventListener('click', () => vscode.postMessage({ type: 'showLog' }));
  toolbar.append(refresh, log);

  const body: HTMLElement[] = [header, toolbar, el('p', { class: 'next' }, icon('info'), ` ${next[state.intent]}`)];
  if (state.migrating.length > 0) body.push(el('p', { class: 'moving' }, icon('sync'), ` Migrating now: ${state.migrating.join(', ')}`));
  if (state.vms.length > 0) body.push(el('h2', {}, state.vms.length === 1 ? 'Virtual machine' : `${state.vms.length} virtual machines`), ...state.vms.map(vmCard));
  if (state.hosts.length > 0) body.push(el('h2', {}, 'Selected hosts'), table(state.hosts, state.vms));
  body.push(el('h2', {}, state.vms.length > 0 ? 'Hosts' : 'Fleet'), table(state.fleet, state.vms));
  app.replaceChildren(...body);
}

function table(hosts: readonly HostSummary[], vms: readonly VmSummary[]): HTMLElement {
  const head = el('tr', {}, ...['Host', 'Processor', 'Memory free', 'Disk free', 'Live migration', 'Authentication', 'Switches', 'Newest VM version'].map((h) => el('th', {}, h)));
  return el('table', { class: 'hosts' }, el('thead', {}, head), el('tbody', {}, ...hosts.map((h) => hostRow(h, vms))));
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      render(message.state);
      break;
    default: {
      const never: never = message.type;
      console.warn('unknown message', never);
    }
  }
});

vscode.postMessage({ type: 'ready' });
