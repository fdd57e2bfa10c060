// A browser page for the webview's template tests: happy-dom's document. lit-html (and the webview's l10n)
// take the global `document` when they load, so this module puts it there and `./loaded` (imported after
// everything else) takes it away again: the other unit tests, loaded into the same mocha process, never see
// a browser. Each test file is its own bundle; they share the first window made.
import { Window } from 'happy-dom';

const shared = globalThis as typeof globalThis & { webviewTestWindow?: Window };
const window = (shared.webviewTestWindow ??= new Window({ url: 'https://webview.test/' }));

/** The page's document, as the DOM types know it. */
export const page = window.document as unknown as Document;

export function installDocument(): void {
  Object.defineProperty(globalThis, 'document', { value: page, configurable: true, writable: true });
}

export function removeDocument(): void {
  Reflect.deleteProperty(globalThis, 'document');
}

installDocument();

/** Puts `document` there while a describe's tests run (the webview's announce and l10n read it). */
export function usePage(): void {
  before(installDocument);
  after(removeDocument);
}

/** An empty container in the page's body, the last one removed. */
export function container(): HTMLElement {
  page.body.replaceChildren();
  const app = page.createElement('main');
  app.id = 'app';
  page.body.append(app);
  return app;
}

/** A plain event of the page, e.g. `change` or `toggle`. */
export function event(type: string): Event {
  return new window.Event(type) as unknown as Event;
}

/** A key pressed on the focused element of the page. */
export function press(key: string): void {
  (page.activeElement ?? page.body).dispatchEvent(new window.KeyboardEvent('keydown', { key, bubbles: true }) as unknown as Event);
}

/** The saved state of a webview, in memory, as `vscode.getState/setState` keep it. */
export function memoryStore(initial?: unknown): { getState(): unknown; setState(state: unknown): void; saved: unknown } {
  const store = {
    saved: initial,
    getState: () => store.saved,
    setState: (state: unknown) => {
      store.saved = JSON.parse(JSON.stringify(state)) as unknown;
    },
  };
  return store;
}
