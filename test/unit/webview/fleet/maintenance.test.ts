// Maintenance's template, rendered from a protocol message into a DOM: each host with its step, the wait for
// the admin with its Host Is Back, what could not move with why, a VM moved away by hand with its own Return
// Anyway, and Pause and Cancel for a rolling run.
import { usePage } from '../page';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setDisplayLanguage } from '../../../../src/hyperv/format';
import type { FleetPanelState, FromFleetWebview } from '../../../../src/panel/fleetProtocol';
import { spoken } from '../../../../webview/fleet/page';
import '../loaded';
import { renderFleet } from './render';

const state: FleetPanelState = {
  title: 'Maintain one by one: HV01, HV02',
  lab: true,
  active: 'maintenance',
  configure: null,
  drain: null,
  ha: null,
  maintenance: {
    kind: 'rolling',
    phase: 'waiting',
    waitingFor: 'HV02',
    hosts: [
      {
        host: 'HV01',
        step: 'done',
        detail: 'Out of maintenance; the VMs listed did not go back.',
        moved: ['web01 → HV02', 'sql01 → HV03', 'app02 → HV04'],
        returned: ['web01', 'app02'],
        notMoved: [{ vmName: 'old01', why: 'Configuration version 99.0 is not supported on HV02.' }],
        movedAway: [{ vmId: 'id-sql01', vmName: 'sql01', movedTo: 'HV03', now: 'HV04', returning: false }],
      },
      {
        host: 'HV02',
        step: 'waiting',
        detail: 'Waiting for HV02: patch and restart it, then press Host Is Back.',
        moved: ['app01 → HV03'],
        returned: [],
        notMoved: [],
        movedAway: [],
      },
    ],
  },
};

describe('Maintenance template (webview/fleet/maintenance)', () => {
  usePage();
  let app: HTMLElement;
  let posted: FromFleetWebview[];

  beforeEach(() => {
    ({ app, posted } = renderFleet(state));
  });

  it('shows each host with its step, and waits for the admin with Host Is Back on the host it waits for', () => {
    assert.deepEqual(
      [...app.querySelectorAll<HTMLElement>('.maintenance-host')].map((h) => [h.dataset.host, h.dataset.step]),
      [
        ['HV01', 'done'],
        ['HV02', 'waiting'],
      ],
    );
    assert.equal(
      app.querySelector('#maintenance-waiting')?.textContent?.trim(),
      'Waiting for HV02: patch and restart it, then press Host Is Back.',
    );
    app.querySelector<HTMLElement>('[data-host="HV02"] #maintenance-back')!.click();
    assert.deepEqual(posted, [{ type: 'maintenanceHostIsBack', host: 'HV02' }]);
    assert.equal(app.querySelector('[data-host="HV01"] #maintenance-back'), null);
  });

  it('lists what could not move with why, and returns a VM moved away by hand only on its own Return Anyway', () => {
    const hv01 = app.querySelector<HTMLElement>('[data-host="HV01"]')!;
    assert.match(hv01.querySelector('ul.bad')!.textContent, /old01: Configuration version 99\.0 is not supported on HV02\./);
    const away = hv01.querySelector<HTMLElement>('ul.moved-away li[data-vm="sql01"]')!;
    assert.match(away.textContent, /sql01 was moved to HV03, and by hand to HV04 since/);
    away.querySelector<HTMLElement>('vscode-button')!.click();
    assert.deepEqual(posted, [{ type: 'maintenanceReturnAnyway', vmId: 'id-sql01' }]);
  });

  it('lists the VMs that moved off and came back as a sentence, in the display language', () => {
    const lists = () => [...app.querySelectorAll<HTMLElement>('[data-host="HV01"] p')].map((p) => p.textContent?.trim()).slice(1);
    assert.deepEqual(lists(), ['Moved off: web01 → HV02, sql01 → HV03 and app02 → HV04', 'Back: web01 and app02']);
    const root = resolve(__dirname, '..', '..', '..', '..', '..');
    setDisplayLanguage('de', JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>);
    try {
      ({ app } = renderFleet(state));
      assert.deepEqual(lists(), ['Verschoben: web01 → HV02, sql01 → HV03 und app02 → HV04', 'Zurück: web01 und app02']);
    } finally {
      setDisplayLanguage('en', {});
    }
  });

  it('offers Pause and Cancel while a rolling run goes on, and says where it is', () => {
    app.querySelector<HTMLElement>('#maintenance-pause')!.click();
    app.querySelector<HTMLElement>('#maintenance-cancel')!.click();
    assert.deepEqual(posted, [{ type: 'maintenancePause' }, { type: 'maintenanceCancel' }]);
    assert.equal(app.querySelector('nav.jobs button.job-link[data-job="maintenance"]')?.getAttribute('aria-current'), 'page');
    assert.equal(spoken(state).get('maintenance:phase'), 'Waiting for you');
  });
});
