// Bench row: the full preflight check of one VM on the default lab (its default latency), for each of the
// lab's situations, on warm sessions of a pool of the extension's default size. Targets: at most two
// PowerShell round trips per host involved, and a median check of at most 1 s.
import { createPreflightEngine } from '../../src/migration/preflight';
import type { MigrationRequest } from '../../src/migration/types';
import { defineScript } from '../../src/powershell/script';
import type { Benchmark, Row } from './bench';
import { median, openBenchLab } from './benchLab';

// The admin's stored credential: the source hands it on for the report flow's second hop (README, Requirements).
const ADMIN = { userName: 'CONTOSO\\admin', password: 'not logged' };

const ROUNDS = 3;
const SITUATIONS: readonly (readonly [string, string])[] = [
  ['web01', 'HV02'],
  ['web01', 'HV03'],
  ['sql01', 'HV02'],
  ['app02', 'HV01'],
  ['build01', 'HV02'],
  ['legacy04', 'HV01'],
  ['dc04', 'HV01'],
  ['vault06', 'HV05'],
  ['erp01', 'HV01'],
];

const prepare = defineScript<{ path: string }, { id: string; name: string; host: string }[]>(
  'bench.defaultLab',
  `param($Params)
$null = New-HyperVLab -Path $Params.path -Template Default -Force
@(Get-VM -ComputerName (Get-HyperVLabHost | ForEach-Object Name) | ForEach-Object { [pscustomobject]@{ id = [string]$_.Id; name = $_.Name; host = $_.ComputerName } })`,
);

export const preflightBenchmark: Benchmark = {
  name: 'preflight check',
  async run(): Promise<Row> {
    const lab = await openBenchLab('preflight');
    const { pool, path, size } = lab;
    try {
      const made = await pool.run(prepare, { path });
      if (!made.ok) throw new Error(made.error.message);
      const vms = new Map(made.data.map((vm) => [vm.name, vm]));
      const requests = SITUATIONS.map(([name, destination]): MigrationRequest => {
        const vm = vms.get(name);
        if (!vm) throw new Error(`no ${name} in the default lab`);
        return { vmId: vm.id, vmName: vm.name, source: vm.host, destination };
      });
      const engine = createPreflightEngine(pool, { credentialFor: () => ADMIN });
      // Warm up: sessions started, scripts compiled, the lab file cached (none of that is what is measured).
      for (const request of requests) await engine.check(request);
      const times: number[] = [];
      let mostTrips = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const request of requests) {
          const started = performance.now();
          const result = await engine.check(request);
          times.push(performance.now() - started);
          mostTrips = Math.max(mostTrips, ...Object.values(result.roundTrips));
        }
      }
      return {
        measurements: [
          {
            label: `full check of one VM, median of ${times.length} (${SITUATIONS.length} situations × ${ROUNDS}), pool ${size}`,
            value: median(times),
            unit: 'ms',
            target: { atMost: 1000 },
          },
          { label: 'slowest check', value: Math.max(...times), unit: 'ms' },
          { label: 'PowerShell round trips per host involved (most seen)', value: mostTrips, unit: '', target: { atMost: 2 } },
        ],
      };
    } finally {
      await lab.dispose();
    }
  },
};
