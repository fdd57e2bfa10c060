// The executor's own failure texts (a job that vanished, never appeared, or ended without a word) in the
// display language, still explained as what they are; Hyper-V's own words stay as Hyper-V wrote them.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setDisplayLanguage } from '../../../../src/hyperv/format';
import type { JobView, StatusAnswer } from '../../../../src/migration/executor';
import { endedRecord, interpret, type Known } from '../../../../src/migration/executor/jobReading';
import type { MoveRecord } from '../../../../src/migration/types';
import { moveRecord } from '../../../support/moveRecord';

const root = resolve(__dirname, '..', '..', '..', '..', '..');
const german = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;

const known = (more: Partial<Known> = {}): Known => ({
  jobId: null,
  priorJobIds: [],
  waitUntilMs: 0,
  startProblem: null,
  request: { vmId: 'vm-sql01', vmName: 'sql01', source: 'HV01', destination: 'HV02' },
  cancelRequested: false,
  lastPercent: 0,
  ...more,
});

const onSource: StatusAnswer = { jobs: [], located: { host: 'HV01', state: 'Running', status: 'Operating normally' }, lookupProblems: [] };

/** How a look at the source ends the move: its record's failure. */
function failure(status: StatusAnswer, from: Known): NonNullable<NonNullable<MoveRecord['outcome']>['failure']> {
  const reading = interpret(status, from, Date.now());
  assert.equal(reading.kind, 'ended');
  if (reading.kind !== 'ended') throw new Error('unreachable');
  const record = endedRecord(moveRecord(0, 0), { ...reading, jobElapsedMs: null }, Date.now());
  assert.equal(record.outcome?.phase, 'failed');
  return record.outcome?.failure ?? assert.fail('no failure explained');
}

describe('Job reading in German', () => {
  before(() => setDisplayLanguage('de', german));
  after(() => setDisplayLanguage('en', {}));

  it('says in German that no job appeared, and explains it as a start that was cut short', () => {
    const explained = failure(onSource, known({ startProblem: { message: 'The PowerShell sessions were closed.', ended: false } }));
    assert.equal(
      explained.message,
      'The PowerShell sessions were closed.\nAuf „HV01“ ist kein Migrationsauftrag von „sql01“ erschienen, und „sql01“ ist nicht auf „HV02“: Die Verschiebung wurde nicht gestartet.',
    );
    assert.match(explained.cause, /^Der Quellhost hat für diese Verschiebung nie einen Migrationsauftrag aufgeführt/);
    assert.match(explained.fix, /^Nichts zu reparieren/);
  });

  it('explains a lost start by the words of what cut it short first (WinRM), then as no job', () => {
    const winRm = 'Connecting to remote server HV01 failed with the following error message : WinRM cannot complete the operation.';
    const explained = failure(onSource, known({ startProblem: { message: winRm, ended: false } }));
    assert.match(explained.message, /^Connecting to .*\nAuf „HV01“ ist kein Migrationsauftrag von „sql01“ erschienen/);
    assert.match(explained.cause, /war für die Verwaltung nicht erreichbar \(WinRM\/DNS\)/);
  });

  it('says in German that the job vanished with the VM found on neither host', () => {
    const explained = failure({ ...onSource, located: null }, known({ jobId: 'JOB-1', lastPercent: 40 }));
    assert.equal(
      explained.message,
      'Der Migrationsauftrag von „sql01“ wird auf „HV01“ nicht mehr aufgeführt, und „sql01“ wurde auf keinem der beiden Hosts gefunden: Die Verschiebung wurde nicht abgeschlossen.',
    );
  });

  it("says in German that a job ended without a description, or completed with the VM elsewhere; keeps Hyper-V's own words", () => {
    const ended = (state: number, errorDescription: string | null): JobView => ({
      id: 'JOB-1',
      state,
      percent: 100,
      elapsedMs: null,
      startTime: null,
      errorDescription,
    });
    assert.equal(
      failure({ ...onSource, jobs: [ended(10, null)] }, known({ jobId: 'JOB-1' })).message,
      'Der Migrationsauftrag auf „HV01“ endete ohne Beschreibung im Zustand 10.',
    );
    assert.equal(
      failure({ ...onSource, jobs: [ended(7, null)] }, known({ jobId: 'JOB-1' })).message,
      'Hyper-V hat die Verschiebung von „sql01“ nach „HV02“ als abgeschlossen gemeldet, aber „sql01“ ist auf „HV01“.',
    );
    const hyperV = "The Virtual Machine Management Service failed to establish a connection with host 'HV02'. (0x8007274C)";
    const explained = failure({ ...onSource, jobs: [ended(10, hyperV)] }, known({ jobId: 'JOB-1' }));
    assert.equal(explained.message, hyperV);
    assert.match(explained.cause, /TCP 6600/);
  });
});
