// What the panel gives a fleet job, faked: the core's parts over a FakeRunner, and the VS Code side (modal
// questions, editors, notifications, the panel itself) recorded so a test can read what the admin saw.
import { Fleet } from '../../../../src/hyperv/fleet';
import type { FleetJob } from '../../../../src/panel/fleetProtocol';
import type { FleetJobContext, FleetPanelDeps } from '../../../../src/panel/fleet/jobContext';
import type { History } from '../../../../src/migration/history';
import { MaintenanceStore } from '../../../../src/migration/maintenance';
import type { MoveExecutor } from '../../../../src/migration/types';
import type { Logger } from '../../../../src/powershell/types';
import type { FakeRunner } from '../../../support/fakeRunner';

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface Recorded {
  /** Modal confirmations: what was asked, and the answer given. */
  readonly confirmed: { message: string; detail: string; action: string }[];
  /** Scripts opened in an editor. */
  readonly scripts: string[];
  readonly revealed: FleetJob[];
  readonly told: { level: 'info' | 'warning'; message: string }[];
  /** Failures the admin was told of (reportFailure, or work in the background that failed). */
  readonly failures: string[];
  saved: number;
  changes: number;
}

export interface FakeContextOptions {
  readonly runner: FakeRunner;
  readonly hosts: readonly string[];
  readonly executor?: MoveExecutor;
  readonly journalDir?: string;
  /** The hosts in maintenance (default: a folder that does not exist, so none). */
  readonly maintenance?: MaintenanceStore;
  /** The answer to every modal confirmation (default: yes). */
  readonly confirm?: boolean;
  /** Where drains and HA workflows are recorded (default: nowhere). */
  readonly history?: History;
}

const noExecutor: MoveExecutor = {
  start: () => Promise.reject(new Error('no move expected')),
  running: () => [],
  recover: () => Promise.resolve([]),
  onDidChange: () => ({ dispose() {} }),
  dispose() {},
};

export function fakeContext(options: FakeContextOptions): { ctx: FleetJobContext; recorded: Recorded; fleet: Fleet } {
  const { runner } = options;
  const fleet = new Fleet(() => Promise.resolve({ runner, hosts: options.hosts.map((name) => ({ name })) }));
  const deps: FleetPanelDeps = {
    fleet,
    runner,
    executor: options.executor ?? noExecutor,
    isLab: () => false,
    logger: silentLogger,
    credential: () => Promise.resolve(undefined),
    haJournalDir: options.journalDir ?? '/nonexistent/ha',
    drainJournalDir: options.journalDir ?? '/nonexistent/drains',
    maintenance: options.maintenance ?? new MaintenanceStore('/nonexistent/maintenance'),
    ...(options.history && { history: options.history }),
  };
  const recorded: Recorded = { confirmed: [], scripts: [], revealed: [], told: [], failures: [], saved: 0, changes: 0 };
  const ctx: FleetJobContext = {
    deps,
    ui: {
      confirm: (message, detail, action) => {
        recorded.confirmed.push({ message, detail, action });
        return Promise.resolve(options.confirm ?? true);
      },
    },
    ask: () => Promise.resolve(undefined),
    tell: (level, message) => recorded.told.push({ level, message }),
    openScript: (script) => {
      recorded.scripts.push(script);
      return Promise.resolve();
    },
    savePlan: () => {
      recorded.saved++;
      return Promise.resolve();
    },
    reveal: (job) => {
      recorded.revealed.push(job);
      recorded.changes++;
    },
    activate: () => recorded.changes++,
    background: (what, work) => {
      work.catch((error: unknown) => recorded.failures.push(`${what}: ${String(error)}`));
    },
    reportFailure: (what, error) => recorded.failures.push(`${what}: ${String(error)}`),
    changed: () => recorded.changes++,
  };
  return { ctx, recorded, fleet };
}
