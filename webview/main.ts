// The migration panel's front end: renders each state the extension pushes (webview/migration/page.ts)
// with lit-html, tells a screen reader what changed, and brings what just appeared into view.
import { onState, webviewApi } from './host';
import './panel.css';
import './common.css';
import { render } from 'lit-html';
import type { FromWebview, PanelState, ToWebview } from '../src/panel/protocol';
import type { MigrationContext } from './migration/checklist';
import { migrationPage, spoken } from './migration/page';
import { announce, UiState } from './ui';

const vscode = webviewApi<FromWebview>();
const app = document.getElementById('app')!;

let shown: PanelState | undefined;
const ctx: MigrationContext = {
  post: (message) => vscode.postMessage(message),
  ui: new UiState(vscode, () => shown && show(shown)),
};

// What each section showed last, to bring what just appeared into view: the checklist of a newly chosen
// destination, a move that started, how it ended.
const lastSeen = new Map<string, string>();

function reveal(state: PanelState): void {
  if (state.intent === 'moves') return;
  for (const section of state.sections) {
    const id = section.vm.id;
    const now = `${section.destination ?? ''}|${section.move?.id ?? ''}|${section.move?.outcome?.phase ?? ''}`;
    const before = lastSeen.get(id);
    lastSeen.set(id, now);
    if (before === undefined || before === now) continue;
    const [destination, move, outcome] = before.split('|');
    const container = app.querySelector(`section.vm-section[data-vm-id="${CSS.escape(id)}"]`);
    const target =
      section.move && (section.move.id !== move || (section.move.outcome?.phase ?? '') !== outcome)
        ? container
        : section.destination && section.destination !== destination
          ? container?.querySelector('.checklist')
          : null;
    target?.scrollIntoView({ block: 'start' });
  }
}

function show(state: PanelState): void {
  shown = state;
  document.title = state.title;
  render(migrationPage(ctx, state), app);
  announce(spoken(state));
  reveal(state);
}

onState<ToWebview['state']>(show);

vscode.postMessage({ type: 'ready' });
