// The move journal: entries written atomically (a reader never sees half of one, no temp file stays),
// writes of one move land in order, corrupt files are skipped with the reason logged, old ended moves
// are forgotten and open ones never.

import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEntry, MoveJournal, type JournalEntry } from '../../../src/migration/journal';
import type { Logger } from '../../../src/powershell/types';
import type { MoveRecord } from '../../../src/migration/types';

function record(id: string, startedAt: string, more: Partial<MoveRecord> = {}): MoveRecord {
  return {
    id,
    plan: {
      request: { vmId: '8a1c7e43-0b7e-4c77-9f3a-1e0b5d6a7c21', vmName: 'sql01', source: 'HV01', destination: 'HV02' },
      adapterSwitches: { 'Microsoft:8A1C7E43-0B7E-4C77-9F3A-1E0B5D6A7C21\\A1': 'LAN1', 'Microsoft:X\\A2': null },
      ejectDvd: ['SCSI 0:1'],
    },
    startedAt,
    progress: { phase: 'starting', percent: 0, bytesTotal: 0, bytesMoved: 0, throughput: 0, elapsedMs: 0, etaMs: null },
    ...more,
  };
}

function entry(r: MoveRecord, jobId: string | null = null): JournalEntry {
  return { record: r, jobId, priorJobIds: [] };
}

class Recorder implements Logger {
  readonly warnings: string[] = [];
  trace(): void {}
  debug(): void {}
  info(): void {}
  warn(message: string): void {
    this.warnings.push(message);
  }
  error(message: string): void {
    this.warnings.push(message);
  }
}

describe('move journal', function () {
  let dir: string;
  let log: Recorder;
  let journal: MoveJournal;

  beforeEach(async function () {
    dir = await mkdtemp(join(tmpdir(), 'hyperv-journal-unit-'));
    log = new Recorder();
    journal = new MoveJournal(join(dir, 'moves'), log);
  });

  afterEach(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips an entry, creating its folder, and leaves no temp file', async function () {
    const ended = record('m1', '2026-01-01T10:00:00.000Z', {
      endedAt: '2026-01-01T10:05:00.000Z',
      progress: { phase: 'failed', percent: 40, bytesTotal: 100, bytesMoved: 40, throughput: 2, elapsedMs: 20, etaMs: null },
      outcome: {
        phase: 'failed',
        durationMs: 20,
        bytesMoved: 40,
        failure: { message: 'm', cause: 'c', fix: 'f' },
        vmFoundOn: { host: 'HV01', state: 'Running' },
        summary: 'The move failed at 40 %. sql01 is still running on HV01.',
      },
    });
    await journal.write(entry(ended, 'JOB-1'));
    assert.deepEqual(await journal.list(), [entry(ended, 'JOB-1')]);
    assert.deepEqual(await readdir(join(dir, 'moves')), ['m1.json']);
    assert.deepEqual(await journal.open(), [], 'an ended move is not open');
  });

  it('writes of one move land in the order they were made, and a reader never sees half an entry', async function () {
    const writes: Promise<void>[] = [];
    for (let percent = 0; percent <= 100; percent++) {
      const r = record('m1', '2026-01-01T10:00:00.000Z', {
        progress: {
          phase: 'moving',
          percent,
          bytesTotal: 100,
          bytesMoved: percent,
          throughput: 1,
          elapsedMs: percent,
          etaMs: 100 - percent,
        },
      });
      writes.push(journal.write(entry(r)));
    }
    let writing = true;
    const all = Promise.all(writes).finally(() => (writing = false));
    let reads = 0;
    const seen: number[] = [];
    while (writing) {
      for (const e of await journal.list()) seen.push(e.record.progress.percent);
      reads++;
    }
    await all;
    assert.ok(reads > 1, 'read while writing');
    assert.equal(log.warnings.length, 0, `no reader saw a broken file: ${log.warnings.join('\n')}`);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
      'writes land in order',
    );
    const [last] = await journal.list();
    assert.equal(last.record.progress.percent, 100, 'the last write wins');
    assert.deepEqual(await readdir(join(dir, 'moves')), ['m1.json'], 'no temp files left');
  });

  it('skips corrupt files with the reason logged, and keeps reading the others', async function () {
    const good = record('good', '2026-01-01T10:00:00.000Z');
    await journal.write(entry(good));
    const moves = join(dir, 'moves');
    await writeFile(join(moves, 'truncated.json'), '{"record": {"id": "truncated", "plan":');
    await writeFile(join(moves, 'empty.json'), '');
    await writeFile(join(moves, 'shape.json'), JSON.stringify({ record: { id: 'shape', plan: {} } }));
    await writeFile(
      join(moves, 'phase.json'),
      JSON.stringify(entry(record('phase', 'x', { progress: { ...good.progress, phase: 'dancing' as never } }))),
    );
    await writeFile(join(moves, 'renamed.json'), JSON.stringify(entry(record('other', '2026-01-01T10:00:00.000Z'))));
    await writeFile(join(moves, 'badid.json'), JSON.stringify(entry(record('../../etc/passwd', 'x'))));
    await writeFile(join(moves, '.good.1234.tmp'), 'half');
    await writeFile(join(moves, 'notes.txt'), 'not an entry');

    assert.deepEqual(await journal.list(), [entry(good)]);
    const reasons = log.warnings.join('\n');
    assert.match(reasons, /truncated\.json: not a move entry \(.*JSON/);
    assert.match(reasons, /empty\.json: not a move entry/);
    assert.match(reasons, /shape\.json: not a move entry \(entry\.record\.plan\.request: expected object, got undefined\)/);
    assert.match(reasons, /phase\.json: not a move entry \(entry\.record\.progress\.phase: expected starting\|moving/);
    assert.match(reasons, /renamed\.json: it holds move other/);
    assert.match(reasons, /badid\.json: not a move entry \(entry\.record\.id: expected a move id/);
    assert.equal(log.warnings.length, 6);
  });

  it('a missing folder is an empty journal', async function () {
    assert.deepEqual(await new MoveJournal(join(dir, 'nowhere'), log).list(), []);
  });

  it('refuses to write an entry whose id could name another file', async function () {
    await assert.rejects(journal.write(entry(record('../escape', 'x'))), /Not a move id/);
  });

  it('lists oldest first; open() gives the moves without an end; prune() forgets old ended moves only', async function () {
    const now = Date.parse('2026-03-01T00:00:00.000Z');
    const old = record('old', '2026-01-01T00:00:00.000Z', { endedAt: '2026-01-01T00:01:00.000Z' });
    const recent = record('recent', '2026-02-28T00:00:00.000Z', { endedAt: '2026-02-28T00:01:00.000Z' });
    const running = record('running', '2025-12-01T00:00:00.000Z');
    for (const r of [recent, old, running]) await journal.write(entry(r));
    assert.deepEqual(
      (await journal.list()).map((e) => e.record.id),
      ['running', 'old', 'recent'],
    );
    assert.deepEqual(
      (await journal.open()).map((e) => e.record.id),
      ['running'],
    );
    assert.equal(await journal.prune(30 * 24 * 3600 * 1000, now), 1);
    assert.deepEqual(
      (await journal.list()).map((e) => e.record.id),
      ['running', 'recent'],
    );
  });

  it('what it writes is what decodeEntry reads', async function () {
    const r = record('m2', '2026-01-01T10:00:00.000Z');
    await journal.write(entry(r, 'JOB'));
    assert.deepEqual(decodeEntry(await readFile(join(dir, 'moves', 'm2.json'), 'utf8')), entry(r, 'JOB'));
  });
});
