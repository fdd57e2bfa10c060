// Imported last by each webview test: lit-html and the webview's modules have taken the page's document,
// so the global goes away before mocha runs any test (see ./page).
import { removeDocument } from './page';

removeDocument();
