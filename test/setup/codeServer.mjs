// Starts and stops code-server (real VS Code 1.100.3: workbench in the browser, extension host in Node)
// and Debian's Chromium, for the extension-test launcher, the UI tests and `npm start`.
// Every instance gets a free port on 127.0.0.1, its own temp user-data, extensions and config, and runs
// in its own process group, so stop() ends code-server with everything it started.
// No import.meta here: the UI tests bundle this file into CommonJS.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium } from 'playwright-core';

/** The settings every instance starts with. */
export const SETTINGS = { 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' };

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function codeServerPath(root) {
  return join(root, '.tools', 'code-server', 'node_modules', '.bin', 'code-server');
}

/**
 * The environment code-server (and so the extension host) runs with: the caller's, with `.tools/pwsh`
 * first on PATH, without what would redirect code-server (PORT, PASSWORD) or tie it to another VS Code.
 */
export function toolsEnv(root, extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'PORT' || name === 'PASSWORD' || name === 'HASHED_PASSWORD' || name === 'GITHUB_TOKEN') continue;
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') continue;
    env[name] = value;
  }
  env.PATH = [join(root, '.tools', 'pwsh'), env.PATH ?? ''].join(delimiter);
  return { ...env, ...extra };
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Instances not stopped yet (process group -> temp folder to remove, if any). If this process ends
// without stop() (a crash, process.exit, Ctrl-C in a test run), code-server and its extension host end
// with it, and its temp folder goes.
const running = new Map();

function killRunning() {
  for (const [pgid, dir] of running) {
    signalGroup(pgid, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  running.clear();
}

function onSignal(signal) {
  killRunning();
  untrack();
  // Nobody else handles it: end the way the signal would have ended us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function track(pgid, dir) {
  if (running.size === 0) {
    process.on('exit', killRunning);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  running.set(pgid, dir);
}

function untrack(pgid) {
  if (pgid !== undefined) running.delete(pgid);
  if (running.size > 0) return;
  process.off('exit', killRunning);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

function tail(file, lines = 40) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/**
 * Starts code-server and resolves once it answers on its port.
 * @param {object} options
 * @param {string} options.root            the repository (where `.tools/` is)
 * @param {string} [options.folder]        the workspace folder to open; default: an empty temp folder
 * @param {Record<string,string>} [options.env]  extra environment for code-server and its extension host
 * @param {number} [options.port]          default: a free port
 * @param {Record<string,unknown>} [options.settings]  settings on top of SETTINGS (user and machine)
 * @param {boolean} [options.keep]         keep the temp folder after stop() (default false)
 * @param {boolean} [options.workspaceTrust]  leave workspace trust on (default off: --disable-workspace-trust)
 * @param {string[]} [options.install]     .vsix files to install first, as users do (`--install-extension`)
 * @param {string} [options.locale]        the display language (`--locale`, e.g. `de`); default: code-server's (English)
 * @param {Record<string,string>} [options.userDataFiles]  more files in the user-data folder (name → text)
 * @param {number} [options.readyTimeoutMs]
 */
export async function startCodeServer(options) {
  const { root, env = {}, keep = false, readyTimeoutMs = 60_000 } = options;
  const executable = codeServerPath(root);
  if (!existsSync(executable)) {
    throw new Error(`code-server is not installed at ${executable}; run: test/setup/tools.sh code-server`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'hyperv-code-server-'));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const folder = options.folder ?? join(dir, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(folder, { recursive: true });
  // code-server's extension host takes PATH from a login shell, not from us: name the tools' pwsh in the
  // settings instead (user and machine settings, as `hyperv.powershell.path` is machine-scoped).
  const pwsh = join(root, '.tools', 'pwsh', 'pwsh');
  const settings = { ...SETTINGS, ...(existsSync(pwsh) ? { 'hyperv.powershell.path': pwsh } : {}), ...options.settings };
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
  for (const [name, text] of Object.entries(options.userDataFiles ?? {})) writeFileSync(join(userDataDir, name), text);
  // An explicit config file, so code-server never writes ~/.config/code-server/config.yaml.
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'auth: none\n');
  for (const vsix of options.install ?? []) {
    const installed = spawnSync(
      executable,
      ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
      {
        env: toolsEnv(root, env),
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    if (installed.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(
        `code-server --install-extension ${vsix} failed (exit ${installed.status ?? installed.signal}):\n${installed.stdout}${installed.stderr}`,
      );
    }
  }
  const port = options.port ?? (await freePort());
  const host = '127.0.0.1';
  const logFile = join(dir, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    executable,
    [
      '--config',
      config,
      '--auth',
      'none',
      '--bind-addr',
      `${host}:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      ...(options.locale ? ['--locale', options.locale] : []),
      '--ignore-last-opened',
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      folder,
    ],
    { env: toolsEnv(root, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  if (child.pid !== undefined) track(child.pid, keep ? undefined : dir);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  let stopped = false;
  const base = `http://${host}:${port}`;

  const instance = {
    port,
    url: `${base}/`,
    dir,
    folder,
    userDataDir,
    extensionsDir,
    logFile,
    exited,
    /** A path on this machine as the workbench addresses it (`vscode-remote://127.0.0.1:<port>/...`). */
    remoteUri(path) {
      return `vscode-remote://${host}:${port}${path}`;
    },
    /** The workbench URL; `payload` is a list of [name, value] pairs (extensionDevelopmentPath, ...). */
    workbenchUrl({ folder: open = folder, payload } = {}) {
      const query = [`folder=${encodeURIComponent(open)}`];
      if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
      return `${base}/?${query.join('&')}`;
    },
    /**
     * What helps with a failure: the server's and the extension host's logs, and the logs of every
     * extension that is not built in (the extension under test's output channels among them).
     */
    logs() {
      const parts = [];
      for (const file of filesUnder(join(userDataDir, 'logs'))) {
        const wanted =
          /(remoteagent|remoteexthost)\.log$/.test(file) || (/\/exthost\d+\//.test(file) && !/\/exthost\d+\/vscode\./.test(file));
        if (wanted && statSync(file).size > 0) parts.push(`--- ${file}\n${tail(file, 200)}`);
      }
      return parts.length > 0 ? parts.join('\n') : `--- ${logFile}\n${tail(logFile, 200)}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const pgid = child.pid;
      if (pgid !== undefined) {
        signalGroup(pgid, 'SIGTERM');
        const deadline = Date.now() + 5_000;
        while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
        signalGroup(pgid, 'SIGKILL');
        await exited;
        const gone = Date.now() + 5_000;
        while (groupAlive(pgid) && Date.now() < gone) await sleep(100);
        untrack(pgid);
      }
      log.end();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  let early;
  void exited.then((result) => (early = result));
  for (;;) {
    if (early) {
      const why = early.error ? early.error.message : `exit code ${early.code}, signal ${early.signal}`;
      const output = tail(logFile);
      await instance.stop();
      throw new Error(`code-server stopped before it answered (${why}):\n${output}`);
    }
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return instance;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      const output = tail(logFile);
      await instance.stop();
      throw new Error(`code-server did not answer on ${base} within ${readyTimeoutMs / 1000} s:\n${output}`);
    }
    await sleep(100);
  }
}

/** Debian's Chromium through playwright-core (no browser download). */
export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}; run: test/setup/tools.sh apt (as root)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
