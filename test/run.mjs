// npm test: every test layer, each on its real parts, with one summary.
//
//   node test/run.mjs [unit] [powershell] [extension] [ui] [bench]     (none: unit powershell extension ui)
//
// For each layer it installs what the layer needs (test/setup/tools.sh; it says what is missing when it
// cannot), builds once, runs the layer and counts its tests. A layer fails when a test fails, when it ran
// no test, when it crashed, or when it left a process running; such a layer problem counts as one failure.
// The last line is always `N passed, N failed` (CI reads it); the exit code is 0 only when all passed.
//
// Environment: HYPERV_TEST_LAUNCHER=electron runs the extension layer through @vscode/test-electron
// instead of code-server; HYPERV_LAYER_TIMEOUT_SECONDS bounds one layer (default 1800).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const LAYER_TIMEOUT_MS = Number(process.env.HYPERV_LAYER_TIMEOUT_SECONDS ?? 1800) * 1000;
const MARKER = 'HYPERV_TEST_RUN';

const mocha = (layer) => ({
  files: `out/test/${layer}/**/*.test.js`,
  command: [
    join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--timeout',
    '60000',
    '--forbid-only',
    '--forbid-pending',
    '--reporter',
    join(root, 'test', 'setup', 'mochaReporter.js'),
    `out/test/${layer}/**/*.test.js`,
  ],
});

const electron = process.env.HYPERV_TEST_LAUNCHER === 'electron';

/** What each layer needs set up, where its compiled tests are, and how it runs. */
const LAYERS = {
  unit: { tools: [], chromium: false, ...mocha('unit') },
  powershell: { tools: ['pwsh'], chromium: false, ...mocha('powershell') },
  extension: {
    tools: electron ? ['pwsh'] : ['pwsh', 'code-server'],
    chromium: !electron,
    files: 'out/test/integration/**/*.test.js',
    command: [join(root, 'test', 'integration', 'launch.mjs')],
  },
  ui: { tools: ['pwsh', 'code-server'], chromium: true, ...mocha('ui') },
  bench: {
    tools: ['pwsh', 'code-server'],
    chromium: true,
    files: 'out/test/bench/bench.js',
    command: ['out/test/bench/bench.js'],
    bench: true,
  },
};
const DEFAULT = ['unit', 'powershell', 'extension', 'ui'];

function say(line = '') {
  process.stdout.write(`${line}\n`);
}

function heading(text) {
  say();
  say(`━━━ ${text} ${'━'.repeat(Math.max(0, 60 - text.length))}`);
}

/** Compiled files a layer would run: `out/test/<dir>/**` + `*.test.js`, or one file. */
function compiled(pattern) {
  const match = /^(.*?)\/\*\*\/\*(\.test\.js)$/.exec(pattern);
  if (!match) return existsSync(join(root, pattern)) ? [pattern] : [];
  const dir = join(root, match[1]);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith(match[2]));
}

const toolResults = new Map();

/** Runs test/setup/tools.sh <tool> once per run; its own messages say what is missing. */
function ensureTool(tool) {
  if (!toolResults.has(tool)) {
    const result = spawnSync('bash', [join(root, 'test', 'setup', 'tools.sh'), tool], { cwd: root, stdio: 'inherit' });
    toolResults.set(
      tool,
      result.status === 0 ? undefined : `test/setup/tools.sh ${tool} failed (exit ${result.status}); see its messages above`,
    );
  }
  return toolResults.get(tool);
}

function setUp(layer) {
  for (const tool of layer.tools) {
    const problem = ensureTool(tool);
    if (problem) return problem;
  }
  if (layer.chromium && !existsSync(CHROMIUM)) {
    const problem = ensureTool('apt');
    if (problem || !existsSync(CHROMIUM)) return problem ?? `${CHROMIUM} is missing: apt-get install -y chromium`;
  }
  return undefined;
}

/** Processes (not zombies) that carry this run's marker in their environment: what a layer left behind. */
function leftovers(marker) {
  if (!existsSync('/proc')) return [];
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(`${MARKER}=${marker}`)) continue;
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(name), command: command.slice(0, 160) });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

async function sweep(marker) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const left = leftovers(marker);
    if (left.length === 0) return [];
    if (attempt === 49) {
      for (const { pid } of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      return left;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}

let current;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The child (in our process group) got the terminal's signal too; stop it, then sweep what it left.
    interrupted = true;
    current?.kill(signal);
  });
}

function runChild(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    current = child;
    const timer = setTimeout(() => {
      say(`[run] the layer ran past ${LAYER_TIMEOUT_MS / 1000} s (HYPERV_LAYER_TIMEOUT_SECONDS); stopping it`);
      child.kill('SIGKILL');
    }, LAYER_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code: null, signal: null, error });
    });
  });
}

async function runLayer(name, layer) {
  const files = compiled(layer.files);
  if (files.length === 0) {
    return {
      problem: `no test files: nothing compiled to ${layer.files} (write test/${layer.files.replace(/^out\/test\//, '').replace(/\.js$/, '.ts')})`,
    };
  }
  const work = mkdtempSync(join(tmpdir(), `hyperv-test-${name}-`));
  const statsFile = join(work, 'stats.json');
  const marker = `${name}-${randomUUID()}`;
  const env = {
    ...process.env,
    PATH: [join(root, '.tools', 'pwsh'), process.env.PATH ?? ''].join(delimiter),
    HYPERV_TEST_STATS: statsFile,
    [MARKER]: marker,
  };
  try {
    const exit = await runChild(layer.command, env);
    const left = await sweep(marker);
    const leak =
      left.length > 0
        ? `left ${left.length} process(es) running (now killed):\n${left.map((p) => `    ${p.pid} ${p.command}`).join('\n')}`
        : undefined;
    if (layer.bench) {
      const ok = exit.code === 0;
      return {
        passed: ok ? 1 : 0,
        failed: ok ? 0 : 1,
        pending: 0,
        problem: leak ?? (ok ? undefined : `exited with ${exit.code ?? exit.signal}`),
      };
    }
    if (!existsSync(statsFile)) {
      return { problem: `crashed before reporting (${exit.error?.message ?? `exit ${exit.code ?? exit.signal}`})` };
    }
    const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
    if (stats.problem) return stats;
    if (stats.passed + stats.failed === 0) return { ...stats, problem: 'ran no test' };
    if (leak) return { ...stats, problem: leak };
    if (exit.code !== 0 && stats.failed === 0) return { ...stats, problem: `exited with ${exit.code ?? exit.signal}` };
    return stats;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Removes compiled tests whose source is gone, so a deleted or renamed test never runs from out/. */
function removeStale() {
  const out = join(root, 'out', 'test');
  if (!existsSync(out)) return;
  for (const name of readdirSync(out, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.js') || existsSync(join(root, 'test', name.replace(/\.js$/, '.ts')))) continue;
    say(`[run] removing out/test/${name}: its source test/${name.replace(/\.js$/, '.ts')} is gone`);
    rmSync(join(out, name), { force: true });
    rmSync(join(out, `${name}.map`), { force: true });
  }
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in LAYERS));
  if (unknown.length > 0) {
    say(`unknown layer(s): ${unknown.join(', ')}; layers: ${Object.keys(LAYERS).join(', ')}`);
    say('0 passed, 1 failed');
    return 2;
  }
  const names = asked.length > 0 ? [...new Set(asked)] : DEFAULT;
  const results = new Map();

  heading('build');
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  removeStale();
  const buildProblem = build.status === 0 ? undefined : `npm run build failed (exit ${build.status})`;

  for (const name of names) {
    if (interrupted) break;
    const layer = LAYERS[name];
    heading(name);
    const started = Date.now();
    const problem = buildProblem ?? setUp(layer);
    const result = problem ? { problem } : await runLayer(name, layer);
    result.ms = Date.now() - started;
    if (interrupted) result.problem = 'interrupted';
    if (result.problem) say(`[run] ${name}: ${result.problem}`);
    results.set(name, result);
  }

  heading('summary');
  let passed = 0;
  let failed = 0;
  for (const name of names) {
    const result = results.get(name);
    if (!result) {
      say(`${name.padEnd(12)} not run (interrupted)`);
      failed += 1;
      continue;
    }
    const counts = result.passed !== undefined ? `${result.passed} passed, ${result.failed} failed, ${result.pending} pending` : '';
    const verdict = result.problem ? `FAILED: ${result.problem.split('\n')[0]}` : result.failed > 0 ? 'FAILED' : 'ok';
    say(`${name.padEnd(12)} ${counts.padEnd(36)} ${seconds(result.ms).padStart(8)}  ${verdict}`);
    passed += result.passed ?? 0;
    failed += (result.failed ?? 0) + (result.problem && !result.failed ? 1 : 0);
  }
  const ok = failed === 0 && !interrupted;
  say(`${passed} passed, ${failed} failed`);
  return interrupted ? 130 : ok ? 0 : 1;
}

process.exitCode = await main();
