// npm start: builds, then opens VS Code with this extension under development (on the built-in lab, the
// extension's default while no host is configured).
//   - with a `code` CLI on PATH: an Extension Development Host window of your VS Code;
//   - otherwise: code-server on 127.0.0.1 (a free port, or PORT) with a fresh profile; open the printed
//     URL in a browser; Ctrl-C stops it and removes its temp folder.
// Usage: npm start [-- <folder to open>]
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from './codeServer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const folder = process.argv[2] ? resolve(process.argv[2]) : undefined;

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

function run(command, args) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status === 0;
}

if (!run('npm', ['run', 'build', '--silent'])) {
  console.error('npm start: the build failed');
  process.exit(1);
}

const code = onPath('code');
if (code) {
  console.log(`Opening an Extension Development Host with ${code}`);
  const child = spawn(code, [`--extensionDevelopmentPath=${root}`, '--new-window', ...(folder ? [folder] : [])], {
    stdio: 'inherit',
  });
  child.once('exit', (status) => process.exit(status ?? 1));
} else {
  // The lab runs in pwsh; code-server is real VS Code in the browser.
  if (!run('bash', [join(root, 'test', 'setup', 'tools.sh'), 'pwsh', 'code-server'])) {
    console.error('npm start: test/setup/tools.sh could not set up pwsh and code-server (see above)');
    process.exit(1);
  }
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  const server = await startCodeServer({ root, ...(folder ? { folder } : {}), ...(port ? { port } : {}) });
  const url = server.workbenchUrl({
    payload: [
      ['extensionDevelopmentPath', server.remoteUri(root)],
      ['skipWelcome', 'true'],
    ],
  });
  console.log(`\nHyper-V Live Migration in code-server (VS Code 1.100.3), on 127.0.0.1 only. Open:\n\n  ${url}\n`);
  console.log('Ctrl-C stops it.');

  let stopping = false;
  const stop = async (status) => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(status);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  void server.exited.then(async ({ code: status, signal }) => {
    if (stopping) return;
    console.error(`code-server stopped by itself (code ${status}, signal ${signal}):\n${server.logs()}`);
    await stop(1);
  });
}
