// How both front ends meet VS Code's webview: the toolkit's elements and the codicons they draw with,
// the webview API (messages to the extension, the saved state), and the states the extension pushes.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode/codicons/dist/codicon.css';
import type { StateStore } from './ui';

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
