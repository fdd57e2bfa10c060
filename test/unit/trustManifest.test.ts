// Restricted Mode as package.json declares it: what a workspace nobody trusted yet may not do.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface Manifest {
  readonly capabilities?: {
    readonly untrustedWorkspaces?: {
      readonly supported: boolean | 'limited';
      readonly description?: string;
      readonly restrictedConfigurations?: readonly string[];
    };
    readonly virtualWorkspaces?: boolean | { readonly supported: boolean | 'limited'; readonly description?: string };
  };
  readonly contributes: {
    readonly commands: readonly { readonly command: string; readonly enablement?: string }[];
    readonly configuration: { readonly properties: Record<string, { readonly scope?: string }> };
    readonly menus: Record<string, readonly { readonly command: string; readonly when?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
/** The English text of a `%key%` of the manifest (package.nls.json). */
const nls = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;
const english = (text: string | undefined) => (text ?? '').replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? text ?? '');

/** The commands that run no PowerShell, so stay available in Restricted Mode (src/extension.ts says the same). */
const WITHOUT_POWERSHELL = [
  'hyperv.history.exportCsv',
  'hyperv.history.exportMarkdown',
  'hyperv.history.show',
  'hyperv.log.show',
  'hyperv.plan.new',
];

describe('Workspace trust in package.json', () => {
  it('declares limited support in untrusted workspaces, and none in virtual ones, each with its reason', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(english(untrusted?.description), /PowerShell/);
    const virtual = manifest.capabilities?.virtualWorkspaces;
    assert.ok(
      typeof virtual === 'object' && virtual.supported === false && english(virtual.description).length > 0,
      'virtualWorkspaces: { supported: false, description }',
    );
  });

  it("ignores the workspace's value of every setting a workspace could set", () => {
    const restricted = new Set(manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []);
    for (const name of ['hyperv.refreshIntervalSeconds', 'hyperv.plans.checkOnSave'])
      assert.ok(restricted.has(name), `${name} is not restricted`);
    const settable = Object.entries(manifest.contributes.configuration.properties)
      .filter(([, schema]) => schema.scope !== 'machine' && schema.scope !== 'application')
      .map(([name]) => name);
    assert.deepEqual(
      settable.filter((name) => !restricted.has(name)),
      [],
      'a setting a workspace can set, not in restrictedConfigurations',
    );
    const unknown = [...restricted].filter((name) => !(name in manifest.contributes.configuration.properties));
    assert.deepEqual(unknown, [], 'restrictedConfigurations names settings that do not exist');
  });

  it('enables every command that runs PowerShell only in a trusted workspace', () => {
    const open = manifest.contributes.commands.filter((c) => c.enablement !== 'isWorkspaceTrusted').map((c) => c.command);
    assert.deepEqual(open.sort(), [...WITHOUT_POWERSHELL].sort());
  });

  it('offers Check, Run and Export Plan on a plan only in a trusted workspace', () => {
    const planItems = [...manifest.contributes.menus.commandPalette, ...manifest.contributes.menus['editor/title']].filter((item) =>
      ['hyperv.plan.check', 'hyperv.plan.run', 'hyperv.plan.export'].includes(item.command),
    );
    assert.ok(planItems.length >= 5);
    for (const item of planItems) assert.match(item.when ?? '', /\bisWorkspaceTrusted\b/, `${item.command}: ${item.when}`);
  });
});
