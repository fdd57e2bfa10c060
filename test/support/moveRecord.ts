// A move record as the executor reports it, for the panel's tests: sql01 → HV02, 10 GB.
import type { MoveOutcome, MoveRecord } from '../../src/migration/types';

const GB = 1024 ** 3;

/** sql01's move to HV02 (10 GB) at `percent` after `elapsedMs`; `outcome` once it ended. */
export function moveRecord(percent: number, elapsedMs: number, outcome?: MoveOutcome['phase']): MoveRecord {
  const request = { vmId: 'vm-sql01', vmName: 'sql01', source: 'HV01', destination: 'HV02' };
  const bytesMoved = (10 * GB * percent) / 100;
  return {
    id: 'move-1',
    plan: { request, adapterSwitches: {}, ejectDvd: [] },
    startedAt: '2026-12-05T15:00:00.000Z',
    progress: {
      phase: outcome ?? (percent > 0 ? 'moving' : 'starting'),
      percent,
      bytesTotal: 10 * GB,
      bytesMoved,
      throughput: elapsedMs > 0 ? (bytesMoved * 1000) / elapsedMs : 0,
      elapsedMs,
      etaMs: null,
    },
    ...(outcome ? { outcome: { phase: outcome, durationMs: elapsedMs, bytesMoved } } : {}),
  };
}
