// A host in maintenance as the tree shows it: its own icon, "in maintenance" (or what it is doing) before its
// usual description, a tooltip saying since when, by whom and which VMs left; and the flags its menus go by:
// Enter Maintenance… only on a host not in maintenance, Exit Maintenance… only on one in it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MaintenanceEntry } from '../../../src/migration/maintenance';
import { contextValue } from '../../../src/tree/contextValue';
import { maintenanceLook } from '../../../src/tree/maintenanceLook';

const root = resolve(__dirname, '..', '..', '..', '..');

interface MenuItem {
  readonly command: string;
  readonly when?: string;
}

const menus = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } })
  .contributes.menus['view/item/context'];

/** The tree-menu commands a node with this contextValue shows, from package.json's `viewItem =~ /…/` clauses. */
function menuOf(viewItem: string): string[] {
  return (menus ?? [])
    .filter((item) =>
      (item.when ?? '').split('&&').every((clause) => {
        const regex = /^\s*viewItem\s*=~\s*\/(.*)\/\s*$/.exec(clause);
        return regex ? new RegExp(regex[1] ?? '').test(viewItem) : true;
      }),
    )
    .map((item) => item.command);
}

const entry = (state: MaintenanceEntry['state'], origins: MaintenanceEntry['origins'] = []): MaintenanceEntry => ({
  host: 'HV01',
  since: '2026-12-05T15:14:09.512Z',
  by: 'CONTOSO\\alice',
  state,
  origins,
});

describe('tree: a host in maintenance', function () {
  it('shows the tools icon and says what the host is doing', function () {
    const looks = (['entering', 'in-maintenance', 'exiting'] as const).map((state) => maintenanceLook(entry(state)));
    assert.deepEqual(
      looks.map((look) => [look.icon, look.color, look.description]),
      [
        ['tools', 'charts.yellow', 'entering maintenance…'],
        ['tools', 'charts.orange', 'in maintenance'],
        ['tools', 'charts.yellow', 'returning VMs…'],
      ],
    );
  });

  it('says "in maintenance, return not finished" for a host whose return does not run (cancelled, failed, or left by a reload); an old mark that does not say keeps "returning VMs…"', function () {
    const stopped = maintenanceLook({ ...entry('exiting'), returnDrain: 'd1', returnRunning: false });
    assert.deepEqual(
      [stopped.icon, stopped.color, stopped.description, stopped.flags],
      ['tools', 'charts.orange', 'in maintenance, return not finished', { maintenance: true, entering: false, exiting: false }],
    );
    assert.equal(
      stopped.heading,
      'HV01 is in maintenance: its return did not finish, and no VM is placed on it. Exit Maintenance… to try again.',
    );
    assert.ok(menuOf(contextValue('host', stopped.flags)).includes('hyperv.host.exitMaintenance'));
    for (const look of [
      maintenanceLook({ ...entry('exiting'), returnDrain: 'd1', returnRunning: true }),
      maintenanceLook(entry('exiting')),
    ]) {
      assert.deepEqual([look.color, look.description, look.flags.exiting], ['charts.yellow', 'returning VMs…', true]);
      assert.equal(look.heading, 'HV01 is leaving maintenance: the VMs that left it are going back.');
    }
  });

  it('its tooltip says since when (UTC), by whom, and how many VMs left it and where they went', function () {
    const look = maintenanceLook(
      entry('in-maintenance', [
        { vmId: 'a', vmName: 'web01', movedTo: 'HV02', movedAt: '2026-12-05T15:15:00.000Z' },
        { vmId: 'b', vmName: 'sql01', movedTo: 'HV03', movedAt: '2026-12-05T15:16:00.000Z' },
      ]),
    );
    assert.equal(look.heading, 'HV01 is in maintenance: no VM is placed on it.');
    assert.deepEqual(look.rows, [
      ['Since', '2026-12-05 15:14 UTC'],
      ['By', 'CONTOSO\\alice'],
      ['VMs that left it', '2 VMs: web01 → HV02, sql01 → HV03'],
    ]);
    assert.deepEqual(maintenanceLook(entry('entering')).rows[2], ['VMs that left it', 'none yet']);
  });

  it('offers Enter Maintenance… and Maintain Hosts One by One… on a host not in maintenance, Exit Maintenance… only on one in it', function () {
    const plain = menuOf(contextValue('host', { lab: true }));
    assert.ok(plain.includes('hyperv.host.enterMaintenance'), plain.join(', '));
    assert.ok(plain.includes('hyperv.host.maintainOneByOne'));
    assert.ok(!plain.includes('hyperv.host.exitMaintenance'));
    for (const state of ['entering', 'in-maintenance', 'exiting'] as const) {
      const value = contextValue('host', { lab: true, error: true, ...maintenanceLook(entry(state)).flags });
      assert.match(value, /^hyperv:host\+lab\+error\+maintenance/);
      const menu = menuOf(value);
      assert.ok(menu.includes('hyperv.host.exitMaintenance'), `${state}: ${menu.join(', ')}`);
      assert.ok(!menu.includes('hyperv.host.enterMaintenance'), state);
      assert.ok(!menu.includes('hyperv.host.maintainOneByOne'), state);
      assert.ok(menu.includes('hyperv.host.refresh'), 'the host keeps its other commands');
    }
  });
});
