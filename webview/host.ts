// How the front ends meet VS Code's webview: the toolkit's elements and the codicons they draw with,
// the webview API (messages to the extension, the saved state), the states the extension pushes, and the
// one loop every page runs (runPage).
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode/codicons/dist/codicon.css';
import { render, type TemplateResult } from 'lit-html';
import { UiState, type PageContext, type StateStore } from './ui';

export interface WebviewApi<Out> extends StateStore {
  postMessage(message: Out): void;
}

declare function acquireVsCodeApi(): WebviewApi<unknown>;

/** The webview API, once per page; `Out` is the panel's protocol of messages to the extension. */
export function webviewApi<Out>(): WebviewApi<Out> {
  return acquireVsCodeApi();
}

/** Calls `show` with each state the extension pushes (`S`: its protocol's state). */
export function onState<S>(show: (state: S) => void): void {
  window.addEventListener('message', (event: MessageEvent<{ readonly type: 'state'; readonly state: S }>) => {
    const message = event.data;
    switch (message.type) {
      case 'state':
        show(message.state);
        break;
      default: {
        const never: never = message.type;
        console.warn('unknown message', never);
      }
    }
  });
}

/**
 * Runs a front end: each state the extension pushes is rendered into #app by `page` (the document titled as
 * the state says), then handed to `after` (a screen reader told what changed, what appeared brought into
 * view); a change of the webview's own state renders the last state again. Says `ready` once listening.
 */
export function runPage<Out extends { readonly type: string }, S extends { readonly title: string }>(
  page: (ctx: PageContext<Out>, state: S) => TemplateResult,
  after: (state: S, app: HTMLElement) => void = () => undefined,
): void {
  const vscode = webviewApi<Out>();
  const app = document.getElementById('app')!;
  let shown: S | undefined;
  const ctx: PageContext<Out> = {
    post: (message) => vscode.postMessage(message),
    ui: new UiState(vscode, () => shown && show(shown)),
  };
  function show(state: S): void {
    shown = state;
    document.title = state.title;
    render(page(ctx, state), app);
    after(state, app);
  }
  onState<S>(show);
  // Every panel's protocol has `ready`: the panel posts nothing before it.
  vscode.postMessage({ type: 'ready' } as Out);
}
