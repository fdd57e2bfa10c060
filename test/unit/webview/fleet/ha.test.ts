// The HA workflow's template, rendered from a protocol message into a DOM: its steps with their state and
// PowerShell, the move's progress, what its check found, and Cancel while it runs.
import { usePage } from '../page';
import * as assert from 'node:assert/strict';
import type { FromFleetWebview } from '../../../../src/panel/fleetProtocol';
import { spoken } from '../../../../webview/fleet/page';
import { haState } from '../fixtures';
import '../loaded';
import { renderFleet } from './render';

describe('HA workflow template (webview/fleet/ha)', () => {
  usePage();
  let app: HTMLElement;
  let posted: FromFleetWebview[];

  beforeEach(() => {
    ({ app, posted } = renderFleet(haState));
  });

  it('lists the steps with their state, the running move with its progress', () => {
    const steps = [...app.querySelectorAll<HTMLElement>('ol.steps > li.step')];
    assert.deepEqual(
      steps.map((s) => [s.dataset.step, s.dataset.status]),
      [
        ['remove-role', 'succeeded'],
        ['move', 'running'],
        ['add-role', 'pending'],
      ],
    );
    assert.equal(steps[1].querySelector('vscode-progress-bar')?.getAttribute('aria-label'), 'erp01 40 %');
    assert.equal(steps[1].querySelector('.percent')?.textContent, '40 % · 16 GB of 40 GB · 0:30 left');
    assert.equal(steps[0].querySelector('vscode-progress-bar'), null);
  });

  it('marks a finding by its severity, not by its words', () => {
    assert.ok(app.querySelector('ul.findings li .codicon-warning.warn'));
    assert.equal(app.querySelector('ul.findings .codicon-error'), null);
  });

  it('offers Cancel while it runs and names the job in the header', () => {
    app.querySelector<HTMLElement>('#ha-cancel')!.click();
    assert.deepEqual(posted, [{ type: 'haCancel' }]);
    assert.equal(app.querySelector('#ha-start'), null);
    assert.equal(app.querySelector('nav.jobs button.job-link[data-job="ha"]')?.getAttribute('aria-current'), 'page');
    assert.equal(spoken(haState).get('ha:phase'), 'erp01: HV01 → HV05: Running');
  });
});
