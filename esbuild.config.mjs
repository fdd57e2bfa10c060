// Bundles the extension (Node, CommonJS), the webview (browser, ESM) and each test file.
// PowerShell scripts (*.ps1) are imported as text, so every script ships inside the bundle as fixed text.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function files(dir, suffix) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full, suffix));
    else if (name.endsWith(suffix)) out.push(full);
  }
  return out;
}

const webviewTests = files(join('test', 'unit', 'webview'), '.test.ts');

const shared = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  loader: { '.ps1': 'text' },
};

// For the Node bundles, the ESM entry first: jsonc-parser's CommonJS entry is a UMD bundle whose requires
// esbuild cannot follow.
const node = { platform: 'node', mainFields: ['module', 'main'] };

const builds = [
  {
    ...shared,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    ...node,
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...shared,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    loader: { '.ttf': 'file' },
    format: 'esm',
    target: 'es2022',
  },
  {
    ...shared,
    entryPoints: ['webview/fleet.ts'],
    outfile: 'dist/fleet.js',
    platform: 'browser',
    loader: { '.ttf': 'file' },
    format: 'esm',
    target: 'es2022',
  },
  {
    ...shared,
    entryPoints: ['webview/history.ts'],
    outfile: 'dist/history.js',
    platform: 'browser',
    loader: { '.ttf': 'file' },
    format: 'esm',
    target: 'es2022',
  },
  {
    ...shared,
    entryPoints: [...files('test', '.test.ts'), 'test/integration/index.ts', ...files('test/bench', '.ts')].filter(
      (file, index, all) => existsSync(file) && all.indexOf(file) === index && !webviewTests.includes(file),
    ),
    outdir: 'out/test',
    outbase: 'test',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
  },
];

// The webview's template tests render in a DOM (happy-dom): lit-html and happy-dom are ES modules, so these
// tests bundle their packages; lit-html's browser build, as in the panel.
builds.push({
  ...shared,
  entryPoints: webviewTests,
  outdir: 'out/test/unit/webview',
  outbase: 'test/unit/webview',
  platform: 'node',
  conditions: ['browser'],
  format: 'cjs',
  target: 'node20',
});

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
