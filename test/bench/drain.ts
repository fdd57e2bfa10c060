// Bench row: drain a lab host of 20 VMs of mixed sizes (limit 2 on both hosts), about 1.2 TB, with the queue's
// longest-first order and with a first-in-first-out queue, in the same run, on a fresh lab each. Target:
// the longest-first drain within 1.10 × the lower bound. The bound comes from the lab's timing model
// (STATE.md: each move takes (1 s + bytes × 8 / link speed) / time scale): the larger of the moves'
// durations summed over the limit and the longest single move, taken from the lab's own move records.
// The spec's looser form (total bytes over limit × link speed, without each move's second) is shown too.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFleet } from '../../src/hyperv/inventory';
import { planDrain, runDrain } from '../../src/migration/drain';
import { createMoveExecutor } from '../../src/migration/executor';
import type { QueueOrder } from '../../src/migration/queue';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import type { Benchmark, Measurement, Row } from './bench';
import { median, openBenchLab } from './benchLab';

// The admin's stored credential: the source hands it on for the report flow's second hop (README, Requirements).
const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

const GB = 1024 ** 3;
const LIMIT = 2;
/**
 * What each of the 20 VMs of HV01 carries in GB of disk, in host order (web, sql, build, web, ...; the
 * running ones add their memory: web 2 GB, sql 32 GB). Mixed, with the database servers growing down the
 * list, as when a host's oldest VMs are its small ones: first-in-first-out starts the largest moves last.
 */
const DISK_GB = [24, 60, 8, 30, 16, 90, 40, 12, 36, 140, 20, 6, 14, 220, 10, 48, 18, 330, 14, 28];
/**
 * Simulated seconds per real second (the lab's default is 10): the moves last long enough beside what
 * starting one costs (Compare-VM twice, Move-VM -AsJob, the job seen: a few hundred ms) to be a drain.
 */
const TIME_SCALE = 8;

interface LabMove {
  readonly vmName: string;
  readonly source: string;
  readonly destination: string;
  readonly state: string;
  readonly durationMs: number;
  readonly totalBytes: number;
  readonly start: number;
  readonly end: number;
  readonly linkBps: number;
}

const prepare = defineScript<{ path: string; count: number; diskBytes: readonly number[]; timeScale: number }, null>(
  'bench.drainLab',
  `param($Params)
$null = New-HyperVLab -Path $Params.path -Hosts 2 -VmsPerHost $Params.count -Force
Set-HyperVLabTimeScale -TimeScale $Params.timeScale
foreach ($computer in 'HV01', 'HV02') { Set-VMHost -ComputerName $computer -MaximumVirtualMachineMigrations ${LIMIT} -MaximumStorageMigrations ${LIMIT} }
# Mixed sizes: each VM's disks on HV01 resized through the lab's store (lock, validation, atomic save).
& (Get-Module HyperVLab) {
    param($sizes)
    $null = Update-LabState {
        param($s)
        $i = 0
        foreach ($vm in @($s.vms | Where-Object { $_.host -eq 'HV01' })) {
            $drives = @($vm.hardDrives)
            $each = [int64][System.Math]::Floor([double]$sizes[$i] / $drives.Count)
            foreach ($drive in $drives) {
                $drive.fileSize = $each
                if ([int64]$drive.size -lt $each) { $drive.size = $each }
            }
            $i++
        }
    }
} @($Params.diskBytes)`,
  () => null,
);

const moves = defineScript<Record<string, never>, LabMove[]>(
  'bench.drainMoves',
  `param($Params)
$state = Get-HyperVLabState
$links = @{}
foreach ($h in $state.hosts) { $links[$h.name] = [int64]$h.linkSpeedBps }
# Times to Unix milliseconds (ConvertFrom-Json may already have made them DateTimes: keep their milliseconds).
$ms = { param($t) if ($t -is [datetime]) { ([DateTimeOffset]$t.ToUniversalTime()).ToUnixTimeMilliseconds() }
    else { [DateTimeOffset]::Parse([string]$t, [cultureinfo]::InvariantCulture).ToUnixTimeMilliseconds() } }
@($state.moves | ForEach-Object {
    $start = & $ms $_.startTime
    [pscustomobject]@{ vmName = $_.vmName; source = $_.source; destination = $_.destination; state = $_.state
        durationMs = [double]$_.durationMs; totalBytes = [double]$_.totalBytes; start = $start
        end = if ($_.state -eq 'Completed') { $start + [double]$_.durationMs } else { & $ms $_.endTime }
        linkBps = [System.Math]::Min($links[$_.source], $links[$_.destination]) } })`,
  (data) => data as LabMove[],
);

const hostList = defineScript<Record<string, never>, string[]>(
  'bench.drainHosts',
  'param($Params)\n@(Get-HyperVLabHost | ForEach-Object Name)',
  (d) => d as string[],
);

interface Run {
  readonly order: QueueOrder;
  readonly totalMs: number;
  readonly moved: number;
  readonly moves: readonly LabMove[];
  /** Most moves the lab ran at once on HV01. */
  readonly peak: number;
}

function peakOf(records: readonly LabMove[]): number {
  return Math.max(0, ...records.map((m) => records.filter((o) => o.start <= m.start && m.start < o.end).length));
}

function span(records: readonly LabMove[]): number {
  return Math.max(...records.map((m) => m.end)) - Math.min(...records.map((m) => m.start));
}

async function drainOnce(pool: PowerShellPool, path: string, journalDir: string, order: QueueOrder): Promise<Run> {
  const made = await pool.run(prepare, { path, count: DISK_GB.length, diskBytes: DISK_GB.map((gb) => gb * GB), timeScale: TIME_SCALE });
  if (!made.ok) throw new Error(`lab: ${made.error.message}`);
  const names = await pool.run(hostList, {});
  if (!names.ok) throw new Error(names.error.message);
  const fleet = await readFleet(
    pool,
    names.data.map((name) => ({ name })),
  );
  const plan = await planDrain({ runner: pool, credentialFor: () => ADMIN }, 'HV01', fleet);
  if (plan.unmovable.length > 0 || plan.placements.length !== DISK_GB.length) {
    throw new Error(`the plan places ${plan.placements.length} VMs; unmovable: ${plan.unmovable.map((u) => u.why).join(' ')}`);
  }
  const executor = createMoveExecutor({
    runner: pool,
    journalDir: join(journalDir, order),
    pollIntervalMs: 100,
    credentialFor: () => ADMIN,
  });
  try {
    const started = performance.now();
    const summary = await runDrain(plan, { executor, order }).done;
    const totalMs = performance.now() - started;
    if (summary.moved.length !== DISK_GB.length) throw new Error(`${order}: ${summary.text}`);
    const recorded = await pool.run(moves, {});
    if (!recorded.ok) throw new Error(recorded.error.message);
    return { order, totalMs, moved: summary.moved.length, moves: recorded.data, peak: peakOf(recorded.data) };
  } finally {
    executor.dispose();
  }
}

export const drainBenchmark: Benchmark = {
  name: 'drain host',
  async run(): Promise<Row> {
    const lab = await openBenchLab('drain', 8);
    const { pool, path, dir } = lab;
    try {
      const lpt = await drainOnce(pool, path, dir, 'longest-first');
      const fifo = await drainOnce(pool, path, dir, 'fifo');
      const durations = lpt.moves.map((m) => m.durationMs);
      const bound = Math.max(durations.reduce((a, b) => a + b, 0) / LIMIT, ...durations);
      const totalBytes = lpt.moves.reduce((sum, m) => sum + m.totalBytes, 0);
      const link = Math.min(...lpt.moves.map((m) => m.linkBps));
      const specBound = Math.max((totalBytes * 8 * 1000) / (LIMIT * link) / TIME_SCALE, ...durations);
      const measurements: Measurement[] = [
        {
          label: `longest first: ${lpt.moved} VMs, ${Math.round(totalBytes / GB)} GB, time ÷ lower bound (${(bound / 1000).toFixed(1)} s)`,
          value: lpt.totalMs / bound,
          unit: '×',
          target: { atMost: 1.1 },
        },
        { label: 'first-in-first-out: time ÷ the same lower bound', value: fifo.totalMs / bound, unit: '×' },
        { label: 'longest first ÷ first-in-first-out (same run)', value: lpt.totalMs / fifo.totalMs, unit: '×', target: { atMost: 1 } },
        {
          label: "longest first, as the hosts saw it (first move's start to last move's end) ÷ lower bound",
          value: span(lpt.moves) / bound,
          unit: '×',
        },
        { label: 'longest first, total', value: lpt.totalMs / 1000, unit: 's' },
        { label: 'first-in-first-out, total', value: fifo.totalMs / 1000, unit: 's' },
        {
          label: "longest first ÷ the spec's bound (bytes ÷ (limit × link), no per-move second)",
          value: lpt.totalMs / specBound,
          unit: '×',
        },
        {
          label: 'most migrations at once on HV01 (lab records, both runs)',
          value: Math.max(lpt.peak, fifo.peak),
          unit: '',
          target: { atMost: LIMIT },
        },
      ];
      return { measurements };
    } finally {
      await lab.dispose();
    }
  },
};

// Second row: the extension's own time per move while draining a host of 10 VMs on the Scale lab (30 hosts,
// its network costs: a connection 300 ms, a call 50 ms; STATE.md), one move at a time, with the executor's
// default polling: the drain's time less the moves' simulated transfer time (the lab's records), per move.
// That is checks, starting each move, seeing it end and the queue's turn, everything but moving bytes.
// The Scale lab has 9 VMs on HV01; one of HV02's is put there first. Target: ≤ 150 ms.
const OVERHEAD_VMS = 10;

const prepareScale = defineScript<{ path: string; timeScale: number }, null>(
  'bench.drainScaleLab',
  `param($Params)
$null = New-HyperVLab -Path $Params.path -Template Scale -Force
Set-HyperVLabTimeScale -TimeScale $Params.timeScale
# One VM of HV02 put on HV01 through the lab's store (lock, validation, atomic save), as the other row sizes disks.
& (Get-Module HyperVLab) { $null = Update-LabState { param($s) @($s.vms | Where-Object { $_.host -eq 'HV02' })[0].host = 'HV01' } }
# HV01 may delegate to every other host (the Scale lab leaves it to Configure Live Migration, which is not measured).
$source = Get-ADComputer -Identity HV01 -Properties 'msDS-AllowedToDelegateTo'
$known = @($source.'msDS-AllowedToDelegateTo')
foreach ($h in @(Get-HyperVLabHost | Where-Object Name -ne 'HV01' | ForEach-Object Name)) {
    $fqdn = [string](Get-ADComputer -Identity $h).DNSHostName
    $entries = foreach ($service in 'cifs', 'Microsoft Virtual System Migration Service') { '{0}/{1}' -f $service, $h; '{0}/{1}' -f $service, $fqdn }
    $entries = @($entries | Where-Object { $known -notcontains $_ })
    if ($entries.Count -eq 0) { continue }
    Set-ADObject -Identity $source.DistinguishedName -Add @{ 'msDS-AllowedToDelegateTo' = @($entries) }
}
Set-ADAccountControl -Identity $source -TrustedToAuthForDelegation $true
Clear-HyperVLabTraffic`,
  () => null,
);

/**
 * Where a drain's time per move goes, from the executor's journal (each move's start and end as the extension
 * saw them) beside the lab's records of the same moves (when Move-VM started the transfer and when it ended).
 */
async function overheadParts(
  journalDir: string,
  labMoves: readonly LabMove[],
): Promise<{ beforeTransfer: number[]; afterTransfer: number[]; between: number[] }> {
  const records: { vmName: string; started: number; ended: number }[] = [];
  for (const name of await readdir(journalDir)) {
    if (!name.endsWith('.json')) continue;
    const { record } = JSON.parse(await readFile(join(journalDir, name), 'utf8')) as {
      record: { plan: { request: { vmName: string } }; startedAt: string; endedAt?: string };
    };
    if (record.endedAt)
      records.push({ vmName: record.plan.request.vmName, started: Date.parse(record.startedAt), ended: Date.parse(record.endedAt) });
  }
  records.sort((a, b) => a.started - b.started);
  const beforeTransfer: number[] = [];
  const afterTransfer: number[] = [];
  for (const record of records) {
    // The VM's transfer: a compare's jobs are recorded too, as moves of no duration.
    const lab = labMoves.find((m) => m.vmName === record.vmName && m.durationMs > 0);
    if (!lab) continue;
    beforeTransfer.push(lab.start - record.started);
    afterTransfer.push(record.ended - lab.end);
  }
  const between = records.slice(1).map((record, i) => record.started - (records[i]?.ended ?? record.started));
  return { beforeTransfer, afterTransfer, between };
}

export const drainOverheadBenchmark: Benchmark = {
  name: 'drain overhead',
  async run(): Promise<Row> {
    const lab = await openBenchLab('drain-overhead', 8);
    const { pool, path, dir } = lab;
    try {
      const made = await pool.run(prepareScale, { path, timeScale: TIME_SCALE });
      if (!made.ok) throw new Error(`lab: ${made.error.message}`);
      const names = await pool.run(hostList, {});
      if (!names.ok) throw new Error(names.error.message);
      const fleet = await readFleet(
        pool,
        names.data.map((name) => ({ name })),
      );
      process.stderr.write(`drain overhead: the Scale lab read (${fleet.length} hosts); planning the drain of HV01\n`);
      const plan = await planDrain({ runner: pool, credentialFor: () => ADMIN }, 'HV01', fleet);
      process.stderr.write(`drain overhead: planned; draining ${plan.placements.length} VMs one at a time\n`);
      if (plan.unmovable.length > 0 || plan.placements.length !== OVERHEAD_VMS) {
        throw new Error(`the plan places ${plan.placements.length} VMs; unmovable: ${plan.unmovable.map((u) => u.why).join(' ')}`);
      }
      // The extension's own executor settings (its default polling), as in extension.ts.
      const executor = createMoveExecutor({ runner: pool, journalDir: join(dir, 'journal'), credentialFor: () => ADMIN });
      try {
        const started = performance.now();
        const summary = await runDrain(plan, { executor, concurrency: 1 }).done;
        const totalMs = performance.now() - started;
        if (summary.moved.length !== OVERHEAD_VMS) throw new Error(summary.text);
        const recorded = await pool.run(moves, {});
        if (!recorded.ok) throw new Error(recorded.error.message);
        const fromHv01 = recorded.data.filter((m) => m.source === 'HV01');
        const transfer = fromHv01.reduce((sum, m) => sum + m.durationMs, 0);
        const parts = await overheadParts(join(dir, 'journal'), fromHv01);
        return {
          measurements: [
            { label: `drain of ${OVERHEAD_VMS} VMs one at a time, total`, value: totalMs / 1000, unit: 's' },
            { label: 'simulated transfer time of the moves (lab records)', value: transfer / 1000, unit: 's' },
            {
              label: 'extension overhead per move (total less transfer, ÷ moves; default polling)',
              value: (totalMs - transfer) / OVERHEAD_VMS,
              unit: 'ms',
              target: { atMost: 150 },
            },
            { label: "of it: from the move's start to the lab's Move-VM (median)", value: median(parts.beforeTransfer), unit: 'ms' },
            { label: "of it: from the lab's end of the move to the executor's (median)", value: median(parts.afterTransfer), unit: 'ms' },
            { label: 'of it: from one move ending to the next starting (median)', value: median(parts.between), unit: 'ms' },
          ],
        };
      } finally {
        executor.dispose();
      }
    } finally {
      await lab.dispose();
    }
  },
};
