// The HA workflow's view for the webview, made from the workflow's state: its steps with their scripts, the
// move's progress, and the check's warnings and blockers with their severity. No 'vscode' here.
import * as l10n from '@vscode/l10n';
import { bytes, duration } from '../../hyperv/format';
import type { HaWorkflowState } from '../../migration/haWorkflow';
import type { HaFindingView, HaView } from '../fleetProtocol';

export function haView(state: HaWorkflowState): HaView {
  const { request } = state;
  const progress = state.move?.progress;
  const findings = (state.preflight?.findings ?? [])
    .filter((f) => f.severity !== 'info')
    .map((f): HaFindingView => {
      const severity = f.severity === 'blocker' ? 'blocker' : 'warning';
      if (f.id === 'cluster.role') {
        return {
          severity,
          text:
            severity === 'blocker'
              ? l10n.t('Blocker: {0} (the workflow removes the role, then restores it where it ends)', f.title)
              : l10n.t('Warning: {0} (the workflow removes the role, then restores it where it ends)', f.title),
        };
      }
      return { severity, text: severity === 'blocker' ? l10n.t('Blocker: {0}', f.title) : l10n.t('Warning: {0}', f.title) };
    });
  return {
    vmId: request.vmId,
    vmName: request.vmName,
    source: request.source,
    destination: request.destination,
    sourceCluster: state.sourceCluster,
    destinationCluster: state.destinationCluster,
    role: state.role,
    phase: state.phase,
    ...(state.summary ? { message: state.summary } : {}),
    steps: state.steps.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      ...(s.detail ? { detail: s.detail } : {}),
      script: s.script,
    })),
    ...(progress
      ? {
          move: {
            percent: Math.max(0, Math.min(100, Math.round(progress.percent))),
            phase: progress.phase,
            bytes: progress.bytesTotal > 0 ? `${bytes(progress.bytesMoved)} of ${bytes(progress.bytesTotal)}` : bytes(progress.bytesMoved),
            eta: progress.etaMs === null ? '—' : duration(progress.etaMs),
          },
        }
      : {}),
    findings,
  };
}
