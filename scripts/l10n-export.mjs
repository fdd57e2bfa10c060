// Writes l10n/bundle.l10n.json: every message of an `l10n.t('…', …)` call (vscode.l10n in the VS Code side,
// @vscode/l10n in the core and the webviews) in src/ and webview/, keyed by its English text as
// `@vscode/l10n-dev export` keys it. `--check` writes nothing and fails when the bundle is out of date;
// `--json` prints the messages with where each is used.
// A message must be a literal: a translator can only translate what the bundle holds.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const bundlePath = join(root, 'l10n', 'bundle.l10n.json');

function sources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'lab' && name !== 'node_modules') out.push(...sources(full));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** `l10n.t(…)` or `vscode.l10n.t(…)`. */
function isL10nCall(node) {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const callee = node.expression;
  if (callee.name.text !== 't') return false;
  const target = callee.expression;
  return (ts.isIdentifier(target) && target.text === 'l10n') || (ts.isPropertyAccessExpression(target) && target.name.text === 'l10n');
}

export function extract() {
  const messages = new Map();
  const errors = [];
  for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'webview'))]) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const where = (node) => `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node) => {
      if (isL10nCall(node)) {
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          const uses = messages.get(first.text) ?? [];
          uses.push(where(node));
          messages.set(first.text, uses);
        } else errors.push(`${where(node)}: the message of l10n.t is not a string literal`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, errors };
}

function bundleText(messages) {
  const bundle = {};
  for (const key of [...messages.keys()].sort()) bundle[key] = key;
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { messages, errors } = extract();
  if (errors.length > 0) {
    console.error(errors.join('\n'));
    process.exit(1);
  }
  const text = bundleText(messages);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(Object.fromEntries(messages)));
  } else if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(bundlePath, 'utf8');
    } catch {
      // no bundle yet
    }
    if (current !== text) {
      console.error('l10n/bundle.l10n.json is out of date: run `npm run l10n`');
      process.exit(1);
    }
  } else {
    writeFileSync(bundlePath, text);
    console.log(`${relative(root, bundlePath)}: ${messages.size} messages`);
  }
}
