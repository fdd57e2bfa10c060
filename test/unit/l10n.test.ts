// Every string a user reads goes through a translation: the messages of `l10n.t` (src/ and webview/) are in the
// English bundle and in German, the manifest's titles and descriptions are `%key%`s of package.nls.json and
// package.nls.de.json, and no toast, quick pick or input box of src/ shows a raw English literal.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const root = resolve(__dirname, '..', '..', '..');
const json = <T>(file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as T;

/** `{0}`, `{1}`, … of a message, as a sorted list. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\d+)\}/g)].map((m) => m[0]))].sort();
}

/** The `(command:…)` links of a markdown text, which a translation keeps. */
function links(text: string): string[] {
  return [...text.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1] ?? '').sort();
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'lab') out.push(...sources(full));
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

describe('Localization', () => {
  describe('the l10n bundles', () => {
    // The export script (npm run l10n) fails on a message that is not a literal.
    const messages = JSON.parse(
      execFileSync(process.execPath, [join(root, 'scripts', 'l10n-export.mjs'), '--json'], { encoding: 'utf8' }),
    ) as Record<string, string[]>;
    const english = json<Record<string, string>>('l10n/bundle.l10n.json');
    const german = json<Record<string, string>>('l10n/bundle.l10n.de.json');

    it('the English bundle is what the sources say (npm run l10n)', () => {
      assert.ok(Object.keys(messages).length > 0, 'no l10n.t call found');
      assert.deepEqual(
        Object.keys(english).sort(),
        Object.keys(messages).sort(),
        'l10n/bundle.l10n.json is out of date: run `npm run l10n`',
      );
      for (const [key, value] of Object.entries(english)) assert.equal(value, key);
    });

    it('has German for every message, and no German for a message no longer used', () => {
      const missing = Object.keys(messages).filter((key) => !(typeof german[key] === 'string' && german[key].trim() !== ''));
      assert.deepEqual(missing, [], `German missing for (used at ${missing.map((key) => messages[key]?.[0]).join(', ')})`);
      const stale = Object.keys(german).filter((key) => !(key in messages));
      assert.deepEqual(stale, [], 'German for messages no longer used');
    });

    it('keeps the placeholders of each message in German', () => {
      for (const [key, value] of Object.entries(german)) {
        assert.deepEqual(placeholders(value), placeholders(key), `the placeholders of "${key}" in German: "${value}"`);
      }
    });
  });

  describe('package.json', () => {
    const manifest = json<Record<string, unknown>>('package.json');
    const english = json<Record<string, string>>('package.nls.json');
    const german = json<Record<string, string>>('package.nls.de.json');

    /** Each user-facing text of the manifest, with where it is. */
    function texts(): [string, unknown][] {
      const out: [string, unknown][] = [];
      const fields = new Set([
        'displayName',
        'description',
        'markdownDescription',
        'title',
        'name',
        'contents',
        'category',
        'altText',
        'deprecationMessage',
        'markdownDeprecationMessage',
      ]);
      const arrays = new Set(['enumDescriptions', 'markdownEnumDescriptions']);
      // Identifiers and file names, not text: package name, view ids, setting names.
      const walk = (value: unknown, path: string) => {
        if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
        else if (value && typeof value === 'object') {
          for (const [key, child] of Object.entries(value)) {
            const where = `${path}.${key}`;
            if (fields.has(key) && typeof child === 'string') out.push([where, child]);
            else if (arrays.has(key) && Array.isArray(child)) child.forEach((item, i) => out.push([`${where}[${i}]`, item]));
            else walk(child, where);
          }
        }
      };
      out.push(['displayName', manifest.displayName], ['description', manifest.description]);
      walk(manifest.capabilities, 'capabilities');
      walk(manifest.contributes, 'contributes');
      return out;
    }

    it('declares its l10n bundles', () => {
      assert.equal(manifest.l10n, './l10n');
    });

    it('says nothing a user reads without a %key%, and every key is in English and in German', () => {
      const found = texts();
      assert.ok(found.length > 50, `only ${found.length} texts found`);
      // The schema's `name` of a view is text; a command's `command` or a view's `id` is not walked.
      const bare = found.filter(([, text]) => !(typeof text === 'string' && /^%[\w.-]+%$/.test(text)));
      assert.deepEqual(bare, [], 'user-facing text in package.json without a %key%');
      for (const [where, text] of found) {
        const key = String(text).slice(1, -1);
        assert.ok(typeof english[key] === 'string' && english[key] !== '', `${where}: ${key} is not in package.nls.json`);
        assert.ok(typeof german[key] === 'string' && german[key] !== '', `${where}: ${key} is not in package.nls.de.json`);
      }
    });

    it('has the same keys in both languages, with their placeholders and command links', () => {
      assert.deepEqual(Object.keys(german).sort(), Object.keys(english).sort());
      for (const [key, text] of Object.entries(english)) {
        assert.deepEqual(placeholders(german[key] ?? ''), placeholders(text), key);
        assert.deepEqual(links(german[key] ?? ''), links(text), key);
      }
    });
  });

  describe('the sources', () => {
    /** Text a user would read: a literal with letters in it (a bare separator like ': ' is not). */
    const isRawText = (node: ts.Node) =>
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) &&
      /[A-Za-z]{2}/.test(node.getText());
    const SHOW = new Set([
      'showInformationMessage',
      'showWarningMessage',
      'showErrorMessage',
      'showQuickPick',
      'showInputBox',
      'setStatusBarMessage',
    ]);
    const PROPERTIES = new Set(['title', 'placeHolder', 'placeholder', 'prompt']);

    /** Where a message, quick pick or input box shows a raw literal. */
    function rawTexts(file: string): string[] {
      const text = readFileSync(file, 'utf8');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const out: string[] = [];
      const report = (node: ts.Node) =>
        out.push(
          `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 60)}`,
        );
      const checkProperties = (node: ts.Node) => {
        if (!ts.isObjectLiteralExpression(node)) return;
        for (const property of node.properties) {
          if (ts.isPropertyAssignment(property) && PROPERTIES.has(property.name.getText()) && isRawText(property.initializer))
            report(property.initializer);
        }
      };
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node)) {
          const callee = node.expression;
          const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
          if (SHOW.has(name)) {
            for (const argument of node.arguments) {
              if (isRawText(argument)) report(argument);
              checkProperties(argument);
            }
          }
        }
        // quickPick.title = '…', inputBox.placeholder = '…'
        if (
          ts.isBinaryExpression(node) &&
          node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isPropertyAccessExpression(node.left)
        ) {
          if (PROPERTIES.has(node.left.name.text) && isRawText(node.right)) report(node.right);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      return out;
    }

    it('shows no message, quick pick or input box with a raw literal (l10n.t around it)', function () {
      this.timeout(60_000); // parses every source file
      const files = sources(join(root, 'src'));
      assert.ok(files.length > 50);
      assert.deepEqual(files.flatMap(rawTexts), []);
    });

    it('joins no list with a literal "and" (formatList writes lists in the display language)', () => {
      // `names.join(' and ')`, `${names.join(', ')} and ${last}`, `… + ' and ' + …`
      const joins = [/\.join\(\s*(['"`])[^'"`]*\band\b[^'"`]*\1\s*\)/, /\.join\([^)]*\)\} and /, /(['"`]) and \1\s*\+|\+\s*(['"`]) and \2/];
      const files = [...sources(join(root, 'src')), ...sources(join(root, 'webview'))];
      const found = files.flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (joins.some((pattern) => pattern.test(line)) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
      );
      assert.deepEqual(found, []);
    });
  });
});
