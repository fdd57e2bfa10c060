// Runs inside the real VS Code extension host (see index.ts): the extension activates, and the commands it
// registers are exactly the ones package.json contributes.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'hyperv-live-migration.hyperv-live-migration';

interface Manifest {
  readonly contributes: {
    readonly commands?: readonly { readonly command: string }[];
    readonly views?: Record<string, readonly { readonly id: string }[]>;
    readonly viewsContainers?: Record<string, readonly { readonly id: string }[]>;
  };
}

/** Commands VS Code itself registers for every contributed view and view container. */
function workbenchCommands(manifest: Manifest): Set<string> {
  const generated = new Set<string>();
  for (const views of Object.values(manifest.contributes.views ?? {})) {
    for (const { id } of views) {
      for (const suffix of ['focus', 'resetViewLocation', 'toggleVisibility', 'removeView', 'open']) {
        generated.add(`${id}.${suffix}`);
      }
    }
  }
  for (const containers of Object.values(manifest.contributes.viewsContainers ?? {})) {
    for (const { id } of containers) generated.add(`workbench.view.extension.${id}`);
  }
  return generated;
}

describe('The extension in VS Code', () => {
  let extension: vscode.Extension<unknown>;
  let manifest: Manifest;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded`);
    extension = found;
    manifest = JSON.parse(readFileSync(join(extension.extensionPath, 'package.json'), 'utf8')) as Manifest;
    await extension.activate();
  });

  it('runs in VS Code 1.100', () => {
    assert.match(vscode.version, /^1\.100\./);
  });

  it('activates and returns its test API', () => {
    assert.equal(extension.isActive, true);
    assert.equal(typeof extension.exports, 'object');
    assert.notEqual(extension.exports, null);
  });

  it('registers every command package.json contributes, and no other', async () => {
    const contributed = new Set((manifest.contributes.commands ?? []).map(({ command }) => command));
    assert.ok(contributed.size > 0, 'package.json contributes no command');
    const generated = workbenchCommands(manifest);
    const registered = new Set((await vscode.commands.getCommands(true)).filter((id) => id.startsWith('hyperv.') && !generated.has(id)));
    const unregistered = [...contributed].filter((id) => !registered.has(id)).sort();
    const undeclared = [...registered].filter((id) => !contributed.has(id)).sort();
    assert.deepEqual(
      { unregistered, undeclared },
      { unregistered: [], undeclared: [] },
      'contributes.commands and the registered commands differ',
    );
  });
});
