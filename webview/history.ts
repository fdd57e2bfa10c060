// The migration history panel's front end: renders each state the extension pushes (webview/history/page.ts)
// with lit-html; the filter is the webview's own state.
import { onState, webviewApi } from './host';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './history.css';
import './common.css';
import { render } from 'lit-html';
import type { FromHistoryWebview, HistoryPanelState, ToHistoryWebview } from '../src/panel/historyProtocol';
import { historyPage, type HistoryContext } from './history/page';
import { UiState } from './ui';

const vscode = webviewApi<FromHistoryWebview>();
const app = document.getElementById('app')!;

let shown: HistoryPanelState | undefined;
const ctx: HistoryContext = {
  post: (message) => vscode.postMessage(message),
  ui: new UiState(vscode, () => shown && show(shown)),
};

function show(state: HistoryPanelState): void {
  shown = state;
  document.title = state.title;
  render(historyPage(ctx, state), app);
}

onState<ToHistoryWebview['state']>(show);

vscode.postMessage({ type: 'ready' });
