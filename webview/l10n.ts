// The webviews translate with the extension's own bundle: the panel puts VS Code's l10n bundle (none in
// English) into the page as JSON (src/panel/webviewHost.ts), read here before any message is asked for.
import { config } from '@vscode/l10n';

const bundle = document.getElementById('l10n-bundle')?.textContent;
if (bundle && bundle !== 'null') config({ contents: bundle });

export { t } from '@vscode/l10n';
