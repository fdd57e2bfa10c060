import * as assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingExecutableMessage, resolveExecutable } from '../../../src/powershell/executable';

describe('PowerShell executable resolution', () => {
  let root: string;

  async function file(directory: string, name: string, mode = 0o755): Promise<string> {
    await mkdir(join(root, directory), { recursive: true });
    const path = join(root, directory, name);
    await writeFile(path, '#!/bin/sh\n');
    await chmod(path, mode);
    return path;
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hvlm-exe-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('uses the configured setting as given, before anything on PATH', async () => {
    await file('bin', 'pwsh');
    const found = await resolveExecutable('  /opt/custom/pwsh  ', 'linux', { PATH: join(root, 'bin') });
    assert.equal(found, '/opt/custom/pwsh');
  });

  it('finds pwsh on PATH, in PATH order, when nothing is configured', async () => {
    const first = await file('a', 'pwsh');
    await file('b', 'pwsh');
    const found = await resolveExecutable('', 'linux', { PATH: [join(root, 'empty'), join(root, 'a'), join(root, 'b')].join(':') });
    assert.equal(found, first);
  });

  it('skips a pwsh that is not executable or is a directory', async () => {
    await file('a', 'pwsh', 0o644);
    await mkdir(join(root, 'b', 'pwsh'), { recursive: true });
    const good = await file('c', 'pwsh');
    const found = await resolveExecutable(undefined, 'linux', { PATH: ['a', 'b', 'c'].map((d) => join(root, d)).join(':') });
    assert.equal(found, good);
  });

  it('ignores NODE_POWERSHELL, which node-powershell would obey', async () => {
    const pwsh = await file('bin', 'pwsh');
    const evil = await file('evil', 'not-powershell');
    const found = await resolveExecutable(undefined, 'linux', { PATH: join(root, 'bin'), NODE_POWERSHELL: evil });
    assert.equal(found, pwsh);
  });

  it('answers undefined on Linux when no pwsh is on PATH (no Windows PowerShell there)', async () => {
    await file('bin', 'powershell.exe');
    assert.equal(await resolveExecutable(undefined, 'linux', { PATH: join(root, 'bin') }), undefined);
    assert.equal(await resolveExecutable(undefined, 'linux', {}), undefined);
  });

  it('on Windows reads Path with ";" and prefers pwsh.exe over powershell.exe', async () => {
    await file('winps', 'powershell.exe');
    const pwsh = await file('ps7', 'pwsh.exe');
    const found = await resolveExecutable(undefined, 'win32', { Path: `${join(root, 'winps')};"${join(root, 'ps7')}"` });
    assert.equal(found, pwsh);
  });

  it('on Windows falls back to powershell.exe on Path, then to Windows PowerShell in SystemRoot', async () => {
    const onPath = await file('winps', 'powershell.exe');
    assert.equal(await resolveExecutable(undefined, 'win32', { Path: join(root, 'winps') }), onPath);
    const builtIn = await file(join('Windows', 'System32', 'WindowsPowerShell', 'v1.0'), 'powershell.exe');
    assert.equal(await resolveExecutable(undefined, 'win32', { SystemRoot: join(root, 'Windows') }), builtIn);
    assert.equal(await resolveExecutable(undefined, 'win32', { SystemRoot: join(root, 'nowhere') }), undefined);
  });

  it('names what was tried and the setting in the missing-PowerShell message', () => {
    const none = missingExecutableMessage(undefined, undefined, 'linux');
    assert.match(none, /pwsh on PATH/);
    assert.match(none, /hyperv\.powershell\.path/);
    const windows = missingExecutableMessage(undefined, undefined, 'win32');
    assert.match(windows, /powershell\.exe/);
    const failed = missingExecutableMessage('/opt/pwsh', 'spawn /opt/pwsh ENOENT');
    assert.match(failed, /"\/opt\/pwsh"/);
    assert.match(failed, /ENOENT/);
    assert.match(failed, /hyperv\.powershell\.path/);
  });
});
