// The lab file: broken files give clear errors and are never written over; sessions in separate
// processes change it concurrently without losing a change; faults make hosts unreachable as
// Hyper-V reports it.

import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createLab, labScript, type Lab } from '../support/labFixture';

describe('lab: the lab file', function () {
  let lab: Lab;

  beforeEach(async function () {
    lab = await createLab({ size: 1 });
  });

  afterEach(async function () {
    await lab?.dispose();
  });

  async function assertRefusedAndKept(broken: string, expected: RegExp): Promise<void> {
    await writeFile(lab.path, broken);
    for (const [name, text] of [
      ['read', 'param($Params)\nGet-VM -ComputerName HV01'],
      ['write', 'param($Params)\nStop-VM web01 -ComputerName HV01 -TurnOff'],
      ['reset', 'param($Params)\nReset-HyperVLab'],
    ]) {
      const result = await lab.attempt(`broken-${name}`, text);
      assert.ok(!result.ok, `${name} must fail`);
      assert.equal(result.error.category, 'InvalidData', name);
      assert.ok(result.error.message.includes(`'${lab.path}'`), `${name} names the file: ${result.error.message}`);
      assert.match(result.error.message, expected, name);
    }
    assert.equal(await readFile(lab.path, 'utf8'), broken, 'the broken file is left as it was');
  }

  it("a file that is not JSON is named with the parser's complaint and never overwritten", async function () {
    await assertRefusedAndKept('{ "schemaVersion": 1, "hosts": [ ', /is not valid JSON: /);
  });

  it('a hand-broken lab names the field that is missing or wrong', async function () {
    const state = JSON.parse(await readFile(lab.path, 'utf8')) as { vms: { host?: string }[]; hosts: { name?: string }[] };
    delete state.hosts[2].name;
    await assertRefusedAndKept(JSON.stringify(state, null, 2), /is not a valid lab: hosts\[2\]\.name is missing\./);
    state.hosts[2].name = 'HV03';
    state.vms[1].host = 'HV99';
    await assertRefusedAndKept(JSON.stringify(state, null, 2), /vms\[1\]\.host 'HV99' \('sql01'\) is not a host of the lab\./);
  });

  it('New-HyperVLab -Force replaces a broken file; Reset-HyperVLab restores the template', async function () {
    const result = await lab.run<{ states: string[]; revision: number }>(
      'reset',
      `param($Params)
Stop-VM web01 -ComputerName HV01 -TurnOff
$before = (Get-VM web01 -ComputerName HV01).State
$null = Reset-HyperVLab
[pscustomobject]@{ states = @($before, (Get-VM web01 -ComputerName HV01).State); revision = (Get-HyperVLabState).revision }`,
    );
    assert.deepEqual(result, { states: ['Off', 'Running'], revision: 0 });
    await writeFile(lab.path, 'not a lab');
    const refused = await lab.attempt('new-no-force', 'param($Params)\nNew-HyperVLab -Path $env:HYPERV_LAB_PATH');
    assert.ok(!refused.ok && /already exists/.test(refused.error.message));
    await lab.run('new-force', 'param($Params)\n$null = New-HyperVLab -Path $env:HYPERV_LAB_PATH -Force');
    const names = await lab.run<string[]>('after-new', 'param($Params)\n@(Get-VM -ComputerName HV01 | ForEach-Object Name)');
    assert.deepEqual(names, ['web01', 'sql01', 'build01']);
  });

  it('two pools (separate pwsh processes) changing the lab at once lose no change', async function () {
    const other = lab.openPool({}, 1);
    const add = labScript<number>(
      'add-networks',
      `param($Params)
foreach ($i in 1..$Params.count) { Add-VMMigrationNetwork ('10.{0}.{1}.0/24' -f $Params.prefix, $i) -ComputerName HV01 }
$i`,
    );
    const count = 15;
    const [a, b] = await Promise.all([lab.pool.run(add, { prefix: 101, count }), other.run(add, { prefix: 102, count })]);
    assert.ok(a.ok && b.ok, JSON.stringify([a, b]));
    const state = JSON.parse(await readFile(lab.path, 'utf8')) as {
      revision: number;
      hosts: { name: string; migration: { networks: { subnet: string }[] } }[];
    };
    const subnets = state.hosts.find((h) => h.name === 'HV01')!.migration.networks.map((n) => n.subnet);
    assert.equal(subnets.length, 1 + 2 * count, 'every network added by either pool is there');
    for (let i = 1; i <= count; i++) {
      assert.ok(subnets.includes(`10.101.${i}.0/24`) && subnets.includes(`10.102.${i}.0/24`), `network ${i}`);
    }
    assert.equal(state.revision, 2 * count, 'one save per change');
  });

  it('a held lock makes a change give up with a clear error after the bounded wait', async function () {
    const holder = lab.openPool({}, 1);
    const waiter = lab.openPool({ HYPERV_LAB_LOCK_TIMEOUT_MS: '300' }, 1);
    const started = await Promise.all([
      holder.run(labScript('warm-holder', 'param($Params)\n$PID'), {}),
      waiter.run(labScript('warm-waiter', 'param($Params)\n$PID'), {}),
    ]);
    assert.ok(
      started.every((r) => r.ok),
      'both sessions are started before the lock is taken',
    );
    const hold = holder.run(
      labScript(
        'hold-lock',
        `param($Params)
$lock = [System.IO.File]::Open($env:HYPERV_LAB_PATH + '.lock', 'OpenOrCreate', 'ReadWrite', 'None')
try { Start-Sleep -Milliseconds 6000 } finally { $lock.Dispose() }
'released'`,
      ),
      {},
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const blocked = await waiter.run(labScript('blocked', 'param($Params)\nStop-VM web01 -ComputerName HV01 -TurnOff'), {});
    assert.ok(!blocked.ok, JSON.stringify(blocked));
    assert.equal(blocked.error.category, 'ResourceBusy');
    assert.match(blocked.error.message, /is locked by another session .*gave up after 0\.3 s\./);
    const held = await hold;
    assert.ok(held.ok && held.data === 'released', JSON.stringify(held));
    const after = await waiter.run(
      labScript('after-lock', 'param($Params)\n(Stop-VM web01 -ComputerName HV01 -TurnOff -Passthru).State'),
      {},
    );
    assert.ok(after.ok && after.data === 'Off', 'once the lock is free, changes go through');
  });

  it("an unreachable host fails every cmdlet aimed at it with WinRM's words; the others answer", async function () {
    await lab.run('fault', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Unreachable');
    for (const text of [
      'Get-VM -ComputerName HV03',
      'Get-VMHost -ComputerName HV03',
      'Get-VMSwitch -ComputerName HV03',
      'New-VMSwitch -Name X -SwitchType Private -ComputerName HV03',
    ]) {
      const result = await lab.attempt(`unreachable ${text}`, `param($Params)\n${text}`);
      assert.ok(!result.ok, text);
      assert.equal(result.error.kind, 'hostUnreachable', text);
      assert.equal(result.error.category, 'ConnectionError', text);
      assert.equal(result.error.target, 'HV03', text);
      assert.match(result.error.message, /^The operation on computer 'HV03' failed: WinRM cannot complete the operation\./, text);
    }
    const healthy = await lab.run<string[]>('healthy', 'param($Params)\n@(Get-VM -ComputerName HV01 | ForEach-Object Name)');
    assert.equal(healthy.length, 3);
    await lab.run('clear', 'param($Params)\nSet-HyperVLabFault -ComputerName HV03 -Clear');
    const back = await lab.run<string[]>('back', 'param($Params)\n@(Get-VMSwitch -ComputerName HV03 | ForEach-Object Name)');
    assert.deepEqual(back, ['LAN-Prod']);
  });
});
