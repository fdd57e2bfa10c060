// The migration history panel's front end: renders each state the extension pushes (webview/history/page.ts)
// with lit-html; the filter is the webview's own state.
import { runPage } from './host';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './history.css';
import './common.css';
import type { FromHistoryWebview, HistoryPanelState } from '../src/panel/historyProtocol';
import { historyPage } from './history/page';

runPage<FromHistoryWebview, HistoryPanelState>(historyPage);
