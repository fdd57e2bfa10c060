// Bench row: the preflight check of one move on the Scale lab with the network costs of the issue (opening a
// connection to a host 300 ms, a call in an open session 50 ms; STATE.md), on a pool of the extension's default
// size, measured in one run:
// - the check as the extension runs it (one round trip per host in the host's persistent session, hostSession.ps1)
//   against the same reads done with `-ComputerName` cmdlets: today's scripts before they moved to persistent
//   sessions, kept in test/bench/baseline/ (each cmdlet given -ComputerName, and Invoke-Command -ComputerName,
//   opens its own connection). Target: persistent sessions at least 5 × faster.
// - the first check of a move (its hosts' sessions opened by it) against the same check again. Target: the second
//   at most 0.3 × the first.
// Each move is between two hosts no earlier check touched; the pool's sessions are started and have run a check
// (of two other hosts) before, so what is measured is the hosts' connections, not PowerShell starting.

import { hostKey } from '../../src/hyperv/hostName';
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest } from '../../src/migration/types';
import { defineScript } from '../../src/powershell/script';
import type { CallOptions } from '../../src/powershell/types';
import baselineCompareArguments from './baseline/compareArguments.ps1';
import baselineOnSource from './baseline/onSource.ps1';
import baselineDestination from './baseline/preflightDestination.ps1';
import baselineSource from './baseline/preflightSource.ps1';
import baselineReadDelegationAccount from './baseline/readDelegationAccount.ps1';
import type { Benchmark, Row } from './bench';
import { median, openBenchLab, timed } from './benchLab';

// The admin's stored credential: the source hands it on for the report flow's second hop (README, Requirements).
const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };
const CONNECT_MS = 300;
const CALL_MS = 50;
/** Moves measured, each between two fresh hosts: HV03→HV04, HV05→HV06, ... (HV01→HV02 warms the sessions up). */
const MOVES = 5;
const BASELINE_ROUNDS = 3;

const prepare = defineScript<{ path: string; connect: number; call: number }, { host: string; id: string; name: string }[]>(
  'bench.checkLab',
  `param($Params)
$null = New-HyperVLab -Path $Params.path -Template Scale -Force
Set-HyperVLabNetwork -ConnectLatencyMs $Params.connect -CallLatencyMs $Params.call
$hosts = @(Get-HyperVLabHost | ForEach-Object Name)
@(Get-HyperVLabState).vms | Group-Object host | ForEach-Object { $vm = $_.Group[0]; [pscustomobject]@{ host = $_.Name; id = [string]$vm.id; name = [string]$vm.name } } | Where-Object { $hosts -contains $_.host }`,
  (data) => data as { host: string; id: string; name: string }[],
);

const traffic = defineScript<Record<string, never>, { connections: number; calls: number }>(
  'bench.checkTraffic',
  'param($Params)\n$t = Get-HyperVLabTraffic\n[pscustomobject]@{ connections = [int]$t.Connections; calls = [int]$t.Calls }',
  (data) => data as { connections: number; calls: number },
);

// Today's scripts before persistent sessions, with the parameters the engine sent them (preflight.ts then).
const oldSource = defineScript<Record<string, unknown>, unknown>('bench.oldPreflightSource', baselineSource, (data) => data, [
  baselineCompareArguments,
  baselineReadDelegationAccount,
  baselineOnSource,
]);
const oldDestination = defineScript<Record<string, unknown>, unknown>(
  'bench.oldPreflightDestination',
  baselineDestination,
  (data) => data,
  [baselineReadDelegationAccount],
);

export const checkBenchmark: Benchmark = {
  name: 'check of one move',
  async run(): Promise<Row> {
    const lab = await openBenchLab('check');
    const { pool, path } = lab;
    try {
      const made = await pool.run(prepare, { path, connect: CONNECT_MS, call: CALL_MS });
      if (!made.ok) throw new Error(made.error.message);
      const vmOn = new Map(made.data.map((vm) => [vm.host, vm]));
      const move = (n: number): MigrationRequest => {
        const source = `HV${String(2 * n + 1).padStart(2, '0')}`;
        const vm = vmOn.get(source);
        if (!vm) throw new Error(`no VM on ${source} in the Scale lab`);
        return { vmId: vm.id, vmName: vm.name, source, destination: `HV${String(2 * n + 2).padStart(2, '0')}` };
      };
      const engine = createPreflightEngine(pool, { credentialFor: () => ADMIN });
      const check = async (request: MigrationRequest): Promise<void> => {
        const result = await engine.check(request);
        // A host that could not be read makes a quick check of nothing (checks/hosts.ts): not what is measured.
        const failed = result.findings.find((f) => f.id.startsWith('hosts.'));
        if (failed) throw new Error(`${request.vmName}: ${failed.title}: ${failed.evidence.map((e) => e.detail).join(' ')}`);
      };
      const on = (host: string, destinationCredential?: typeof ADMIN): CallOptions => ({
        affinity: hostKey(host),
        credential: ADMIN,
        ...(destinationCredential && { destinationCredential }),
      });
      const checkTheOldWay = async (request: MigrationRequest): Promise<void> => {
        const [source, destination] = await Promise.all([
          pool.run(
            oldSource,
            {
              VmId: request.vmId,
              Source: request.source,
              Destination: request.destination,
              StoragePath: null,
              Vhds: null,
              AdapterSwitches: [],
              EjectDvd: [],
            },
            on(request.source, ADMIN),
          ),
          pool.run(oldDestination, { VmId: request.vmId, Destination: request.destination }, on(request.destination)),
        ]);
        for (const result of [source, destination]) if (!result.ok) throw new Error(`the old check: ${result.error.message}`);
      };

      // Warm up: sessions started, both ways' scripts compiled and run once (on HV01 and HV02 only).
      await pool.warm(2);
      await check(move(0));
      await checkTheOldWay(move(0));

      const firsts: number[] = [];
      const seconds: number[] = [];
      const persistent: number[] = [];
      const computerName: number[] = [];
      for (let n = 1; n <= MOVES; n++) {
        const request = move(n);
        firsts.push(await timed(() => check(request)));
        seconds.push(await timed(() => check(request)));
        for (let round = 0; round < BASELINE_ROUNDS; round++) {
          computerName.push(await timed(() => checkTheOldWay(request)));
          persistent.push(await timed(() => check(request)));
        }
      }
      // What each way costs in the lab's network: connections opened and calls made by one check of a move.
      const counted = async (action: () => Promise<void>): Promise<string> => {
        const before = await pool.run(traffic, {});
        await action();
        const after = await pool.run(traffic, {});
        if (!before.ok || !after.ok) return 'not counted';
        return `${after.data.connections - before.data.connections} connections, ${after.data.calls - before.data.calls} calls`;
      };
      const warmCost = await counted(() => check(move(1)));
      const oldCost = await counted(() => checkTheOldWay(move(1)));
      const ratios = seconds.map((second, i) => second / (firsts[i] ?? 1));
      return {
        measurements: [
          {
            label: `check, persistent sessions, warm (median of ${persistent.length}; ${warmCost})`,
            value: median(persistent),
            unit: 'ms',
          },
          {
            label: `the same reads with -ComputerName cmdlets (the scripts before; median of ${computerName.length}; ${oldCost})`,
            value: median(computerName),
            unit: 'ms',
          },
          {
            label: `-ComputerName ÷ persistent (connect ${CONNECT_MS} ms, call ${CALL_MS} ms per host)`,
            value: median(computerName) / median(persistent),
            unit: '×',
            target: { atLeast: 5 },
          },
          { label: `first check of a move, its hosts' sessions opened (median of ${MOVES})`, value: median(firsts), unit: 'ms' },
          { label: 'the same check again', value: median(seconds), unit: 'ms' },
          { label: `second ÷ first (median of ${MOVES} moves)`, value: median(ratios), unit: '×', target: { atMost: 0.3 } },
        ],
      };
    } finally {
      await lab.dispose();
    }
  },
};
