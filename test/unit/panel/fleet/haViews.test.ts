// The HA workflow's findings reach the fleet panel with their severity as a field: the webview picks the
// icon from it, so the icon stays right when the text is translated (it no longer starts with "Blocker").
import * as assert from 'node:assert/strict';
import type { HaWorkflowState } from '../../../../src/migration/haWorkflow';
import type { Finding } from '../../../../src/migration/types';
import { haView } from '../../../../src/panel/fleet/haViews';

const finding = (id: string, severity: Finding['severity'], title: string): Finding => ({
  id,
  area: 'cluster',
  severity,
  title,
  cause: '',
  evidence: [],
  fixes: [],
});

describe('HA workflow findings in the fleet panel', () => {
  it('carry their severity apart from their text, and leave infos out', () => {
    const request = { vmId: 'id', vmName: 'erp01', source: 'HV05', destination: 'HV07' };
    const state: HaWorkflowState = {
      request,
      sourceCluster: 'CL1',
      role: 'erp01 role',
      destinationCluster: null,
      phase: 'ready',
      steps: [],
      preflight: {
        request,
        findings: [
          finding('cluster.role', 'blocker', 'erp01 is a cluster role'),
          finding('migration.concurrency:hv07', 'warning', 'HV07 is busy'),
          finding('other', 'info', 'just so you know'),
        ],
        ready: false,
        checkedAt: '',
        roundTrips: {},
      },
    };
    assert.deepEqual(haView(state).findings, [
      { severity: 'blocker', text: 'Blocker: erp01 is a cluster role (the workflow removes the role, then restores it where it ends)' },
      { severity: 'warning', text: 'Warning: HV07 is busy' },
    ]);
  });
});
