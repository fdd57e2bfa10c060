// The migration panel's front end: renders each state the extension pushes (webview/migration/page.ts)
// with lit-html, tells a screen reader what changed, and brings what just appeared into view.
import { runPage } from './host';
import './panel.css';
import './common.css';
import type { FromWebview, PanelState } from '../src/panel/protocol';
import { migrationPage, spoken } from './migration/page';
import { announce } from './ui';

// What each section showed last, to bring what just appeared into view: the checklist of a newly chosen
// destination, a move that started, how it ended.
const lastSeen = new Map<string, string>();

function reveal(state: PanelState, app: HTMLElement): void {
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

runPage<FromWebview, PanelState>(migrationPage, (state, app) => {
  announce(spoken(state));
  reveal(state, app);
});
