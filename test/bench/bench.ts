// The bench runner: `node out/test/bench/bench.js [name ...]` runs the benchmarks listed below (or the
// named ones), prints one table, writes .test-results/bench.json and exits 1 when a target is missed.
// To add a row: write a module exporting a Benchmark (import only types from this file) and list it here.

import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { checkBenchmark } from './check';
import { drainBenchmark, drainOverheadBenchmark } from './drain';
import { firstUseBenchmark } from './firstUse';
import { inventoryBenchmark } from './inventory';
import { preflightBenchmark } from './preflight';
import { sessionBenchmark } from './session';

export interface Target {
  /** The measurement passes when its value is at most this. */
  readonly atMost?: number;
  /** The measurement passes when its value is at least this. */
  readonly atLeast?: number;
}

export interface Measurement {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: Target;
}

export interface Row {
  readonly measurements: readonly Measurement[];
}

export interface Benchmark {
  readonly name: string;
  run(): Promise<Row>;
}

const benchmarks: readonly Benchmark[] = [
  sessionBenchmark,
  inventoryBenchmark,
  preflightBenchmark,
  checkBenchmark,
  drainBenchmark,
  drainOverheadBenchmark,
  firstUseBenchmark,
];

interface Outcome {
  readonly name: string;
  readonly measurements: readonly (Measurement & { readonly pass?: boolean })[];
  readonly error?: string;
  readonly pass: boolean;
}

function passes(measurement: Measurement): boolean | undefined {
  const { target, value } = measurement;
  if (!target) return undefined;
  return (target.atMost === undefined || value <= target.atMost) && (target.atLeast === undefined || value >= target.atLeast);
}

function describeTarget(measurement: Measurement): string {
  const { target, unit } = measurement;
  if (!target) return '';
  return [target.atLeast !== undefined && `≥ ${target.atLeast} ${unit}`, target.atMost !== undefined && `≤ ${target.atMost} ${unit}`]
    .filter(Boolean)
    .join(' and ');
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function table(outcomes: readonly Outcome[]): string {
  const lines: string[][] = [['benchmark', 'measurement', 'value', 'target', 'result']];
  for (const outcome of outcomes) {
    if (outcome.error) lines.push([outcome.name, 'failed to run', '', '', `FAIL: ${outcome.error}`]);
    outcome.measurements.forEach((measurement, index) => {
      lines.push([
        index === 0 ? outcome.name : '',
        measurement.label,
        `${format(measurement.value)} ${measurement.unit}`,
        describeTarget(measurement),
        measurement.pass === undefined ? '' : measurement.pass ? 'pass' : 'FAIL',
      ]);
    });
  }
  const widths = lines[0]?.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length))) ?? [];
  return lines
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(names: readonly string[]): Promise<number> {
  const chosen = names.length ? benchmarks.filter((benchmark) => names.includes(benchmark.name)) : benchmarks;
  if (chosen.length === 0) {
    console.error(`No benchmark named ${names.join(', ')}; there are: ${benchmarks.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const outcomes: Outcome[] = [];
  for (const benchmark of chosen) {
    try {
      const row = await benchmark.run();
      const measurements = row.measurements.map((measurement) => ({ ...measurement, pass: passes(measurement) }));
      outcomes.push({ name: benchmark.name, measurements, pass: measurements.every((m) => m.pass !== false) });
    } catch (error) {
      outcomes.push({ name: benchmark.name, measurements: [], error: error instanceof Error ? error.message : String(error), pass: false });
    }
  }
  console.log(table(outcomes));
  const pass = outcomes.every((outcome) => outcome.pass);
  const folder = join(resolve(__dirname, '..', '..', '..'), '.test-results');
  await mkdir(folder, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    pass,
    rows: outcomes,
  };
  await writeFile(join(folder, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${pass ? 'All targets met.' : 'A target was missed.'} Written to ${join(folder, 'bench.json')}`);
  return pass ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
