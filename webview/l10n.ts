// The webviews translate with the extension's own bundle: the panel puts VS Code's l10n bundle (none in
// English) into the page as JSON and VS Code's display language into its `lang` (src/panel/webviewHost.ts),
// read here before any message is asked for or any list written.
import { setDisplayLanguage } from '../src/hyperv/format';

const bundle = document.getElementById('l10n-bundle')?.textContent;
setDisplayLanguage(document.documentElement.lang || 'en', bundle && bundle !== 'null' ? bundle : undefined);

export { t } from '@vscode/l10n';
