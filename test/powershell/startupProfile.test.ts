// PowerShell's startup profile (startupProfile.ts) on real pwsh: the sessions never touch the user's, a
// corrupt one of their own is mended and the session started again, and what the user is told names the file.
// The corrupt profile (fixtures/startupProfiles.ts) is real; the first test checks that it crashes a plain pwsh.

import * as assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMoveExecutor } from '../../src/migration/executor';
import { resolveExecutable } from '../../src/powershell/executable';
import { PowerShellPool } from '../../src/powershell/pool';
import { defineScript } from '../../src/powershell/script';
import {
  damagedProfileMessage,
  findDamagedProfiles,
  powershellCacheDirectory,
  startupProfileDamage,
} from '../../src/powershell/startupProfile';
import type { Logger, PowerShellResult } from '../../src/powershell/types';
import { LAB_MODULE, createLab } from '../support/labFixture';
import { leftoverProcesses } from './fixtures/processes';
import { PROFILE, breakAssemblyNames, plainPwsh, writeRealProfile } from './fixtures/startupProfiles';

// Generous: sessions start several at once on a machine that may be busy with other work.
const LONG = { timeoutMs: 240_000 };
const pidAfterAWhile = defineScript<null, number>(
  'test-pid-after-a-while',
  'param($Params)\nStart-Sleep -Milliseconds 300\n$PID',
  (data) => data as number,
);
// A clean exit, as when VS Code closes and every session sees its stdin end: PowerShell writes its profile then.
const exitCleanly = defineScript<null, unknown>('test-exit-cleanly', 'param($Params)\n[Environment]::Exit(0)');

function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`[${level}] ${message}`);
  return { lines, trace: keep('trace'), debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

function ok<T>(result: PowerShellResult<T>): T {
  assert.ok(result.ok, JSON.stringify(result));
  return result.data;
}

describe('PowerShell startup profile', function () {
  this.timeout(900_000);
  let executable: string;
  let work: string;
  let realProfile: Buffer;
  let corruptProfile: Buffer;

  before(async function () {
    const found = await resolveExecutable(undefined);
    assert.ok(found, 'pwsh on PATH');
    executable = found;
    work = await mkdtemp(join(tmpdir(), 'hvlm-startup-profile-'));
    realProfile = await writeRealProfile(executable);
    corruptProfile = breakAssemblyNames(realProfile);
  });

  afterEach(async () => {
    assert.deepEqual(await leftoverProcesses(), [], 'a process was left behind');
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('knows a profile pwsh wrote as sound, and one with broken assembly names as one that crashes every pwsh at start', async function () {
    assert.equal(startupProfileDamage(realProfile), undefined);
    const damage = startupProfileDamage(corruptProfile);
    assert.equal(damage?.fatal, true, JSON.stringify(damage));
    assert.match(damage.reason, /assembly name that does not parse: ", ,=/);
    const torn = startupProfileDamage(realProfile.subarray(0, 3000));
    assert.equal(torn?.fatal, false, 'a truncated file is torn, not fatal');

    const cache = join(work, 'crash');
    await mkdir(join(cache, 'powershell'), { recursive: true });
    await writeFile(join(cache, 'powershell', PROFILE), corruptProfile);
    // It sleeps so that the profile's player (a background thread) reaches the modules it has not loaded. With
    // telemetry on (not here: no test sends any) the crash names the FileLoadException; off, PowerShell's handler
    // only announces it.
    const crashed = await plainPwsh(executable, cache, 'Start-Sleep -Seconds 8; "started"');
    assert.doesNotMatch(crashed.stdout, /started/, 'a plain pwsh crashes on it');
    assert.match(
      crashed.stdout + crashed.stderr,
      /An error has occurred that was not properly handled\. .* The PowerShell process will exit\./,
    );
  });

  it("four rounds of four sessions leave the user's startup profile byte for byte as it was, and write their own", async function () {
    const user = join(work, 'user');
    const userProfile = join(user, '.cache', 'powershell', PROFILE);
    await mkdir(join(user, '.cache', 'powershell'), { recursive: true });
    await writeFile(userProfile, realProfile);
    const before = await stat(userProfile);
    const cacheHome = join(work, 'sessions');
    // The user's environment as the extension host has it: PowerShell's cache would be under this HOME.
    const env = { HOME: user, XDG_CACHE_HOME: join(user, '.cache') };
    assert.equal(powershellCacheDirectory(env, 'linux'), join(user, '.cache', 'powershell'));

    // Each round starts four sessions at once and ends them together with a clean exit, which is when PowerShell
    // writes its profile (as when VS Code closes). Four, not the extension's eight: the tests share two cores.
    for (let round = 1; round <= 4; round++) {
      const pool = new PowerShellPool({ executable, size: 4, env, cacheHome });
      try {
        await pool.warm(4);
        const pids = await Promise.all(Array.from({ length: 4 }, () => pool.run(pidAfterAWhile, null, LONG).then(ok)));
        assert.equal(new Set(pids).size, 4, `round ${round}: four sessions at once`);
        const exits = await Promise.all(Array.from({ length: 4 }, () => pool.run(exitCleanly, null, LONG)));
        assert.ok(
          exits.every((exit) => !exit.ok && exit.error.kind === 'sessionCrashed'),
          `round ${round}: every session exited`,
        );
      } finally {
        await pool.dispose();
      }
    }

    assert.ok((await readFile(userProfile)).equals(realProfile), "the user's startup profile is byte for byte the same");
    assert.equal((await stat(userProfile)).mtimeMs, before.mtimeMs, 'and was not rewritten');
    const own = await stat(join(cacheHome, 'powershell', PROFILE));
    assert.ok(own.isFile() && own.size > 0, 'the sessions wrote their own profile in their own cache folder');
  });

  it("deletes a corrupt startup profile of the sessions' own before a session replays it, and the session answers", async function () {
    const cacheHome = join(work, 'corrupt-own');
    const own = join(cacheHome, 'powershell', PROFILE);
    await mkdir(join(cacheHome, 'powershell'), { recursive: true });
    await writeFile(own, corruptProfile);
    const logger = memoryLogger();
    const pool = new PowerShellPool({ executable, size: 1, cacheHome, logger });
    try {
      const first = ok(await pool.run(pidAfterAWhile, null, LONG));
      await new Promise((resolve) => setTimeout(resolve, 8000)); // the time the profile's player needed to crash a plain pwsh
      assert.equal(ok(await pool.run(pidAfterAWhile, null, LONG)), first, 'the same session serves the next call');
    } finally {
      await pool.dispose();
    }
    const warned = logger.lines.filter((line) => line.startsWith('[warn]'));
    assert.equal(warned.length, 1, warned.join('\n'));
    assert.ok(warned[0].includes(`startup profile "${own}" before starting PowerShell: it is damaged (module `), warned[0]);
    assert.match(warned[0], /assembly name that does not parse.*PowerShell\/PowerShell issue 26528/);
    const now = await readFile(own).catch(() => undefined);
    assert.ok(!now?.equals(corruptProfile), 'the corrupt file is gone');
  });

  it('a session that crashes at start while the sessions have a profile of their own gets it deleted and starts once more', async function () {
    // A stand-in at the process boundary for a profile the check above does not know as damaged: it crashes as
    // pwsh does while the sessions' profile exists, and is pwsh itself once that file is gone.
    const cacheHome = join(work, 'crash-at-start');
    const own = join(cacheHome, 'powershell', PROFILE);
    await mkdir(join(cacheHome, 'powershell'), { recursive: true });
    await writeFile(own, realProfile);
    const standIn = join(work, 'pwsh-on-a-torn-profile');
    await writeFile(
      standIn,
      '#!/bin/sh\n' +
        `if [ -f "$XDG_CACHE_HOME/powershell/${PROFILE}" ]; then\n` +
        '  echo "Unhandled exception. System.IO.FileLoadException: The given assembly name was invalid." >&2\n' +
        '  exit 134\n' +
        'fi\n' +
        `exec "${executable}" "$@"\n`,
    );
    await chmod(standIn, 0o755);
    const logger = memoryLogger();
    const pool = new PowerShellPool({ executable: standIn, size: 1, cacheHome, logger });
    try {
      ok(await pool.run(pidAfterAWhile, null, LONG));
    } finally {
      await pool.dispose();
    }
    const warned = logger.lines.filter((line) => line.startsWith('[warn]'));
    assert.equal(warned.length, 1, warned.join('\n'));
    assert.match(warned[0], /crashed while starting \(exit code 134\), as PowerShell does on a damaged startup profile/);
    assert.ok(warned[0].includes(`Deleted the sessions' own startup profile "${own}" and starting again`), warned[0]);
    assert.match(warned[0], /PowerShell\/PowerShell issue 26528/);
  });

  it('tells the user which of their profiles is damaged and how to mend it, and a start it cannot mend names every profile', async function () {
    const user = join(work, 'told');
    await mkdir(join(user, 'powershell'), { recursive: true });
    await writeFile(join(user, 'powershell', PROFILE), corruptProfile);
    await writeFile(join(user, 'powershell', 'StartupProfileData-Interactive'), realProfile.subarray(0, 3000));
    const damaged = await findDamagedProfiles(join(user, 'powershell'));
    assert.deepEqual(
      damaged.map((d) => [d.file, d.fatal]),
      [
        [join(user, 'powershell', PROFILE), true],
        [join(user, 'powershell', 'StartupProfileData-Interactive'), false],
      ],
    );
    const told = damagedProfileMessage(damaged[0]);
    assert.ok(told.includes(`"${join(user, 'powershell', PROFILE)}"`), told);
    assert.match(told, /crashes at start with "System\.IO\.FileLoadException: The given assembly name was invalid"/);
    assert.match(
      told,
      /\(a known PowerShell defect: PowerShell\/PowerShell issue 26528\).*Delete the file to mend it: PowerShell writes a new one at its next start\./,
    );
    assert.match(damagedProfileMessage(damaged[1]), /may crash at start/);

    // A PowerShell that dies at start with that signature although the sessions have no profile of their own
    // (a stand-in executable at the process boundary: no profile can be deleted, so nothing is tried again).
    const fake = join(work, 'crashing-pwsh');
    await writeFile(
      fake,
      '#!/bin/sh\necho "Unhandled exception. System.IO.FileLoadException: The given assembly name was invalid." >&2\nexit 134\n',
    );
    await chmod(fake, 0o755);
    const cacheHome = join(work, 'no-own-profile');
    const pool = new PowerShellPool({ executable: fake, size: 1, cacheHome });
    try {
      const result = await pool.run(pidAfterAWhile, null, LONG);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.kind, 'powershellMissing');
      assert.match(
        result.error.message,
        /crashed while starting \(exit code 134\): Unhandled exception\. System\.IO\.FileLoadException: The given assembly name was invalid\. PowerShell crashes so when its startup profile is damaged\. Delete "[^"]+": PowerShell writes a new one at its next start\. .*issue 26528/,
      );
      assert.ok(
        result.error.message.includes(`"${powershellCacheDirectory()}/${PROFILE}"`),
        `no profile of its own exists, so the user's is named: ${result.error.message}`,
      );
    } finally {
      await pool.dispose();
    }
  });

  describe('fault matrix: corrupt startup profile', function () {
    it('a move whose sessions start on a corrupt startup profile lands web01 on HV02, running, once', async function () {
      const lab = await createLab({ size: 1 });
      await lab.run('time', 'param($Params)\nSet-HyperVLabTimeScale -TimeScale 100');
      const cacheHome = join(work, 'move');
      await mkdir(join(cacheHome, 'powershell'), { recursive: true });
      await writeFile(join(cacheHome, 'powershell', PROFILE), corruptProfile);
      const logger = memoryLogger();
      const pool = new PowerShellPool({
        executable,
        size: 2,
        cacheHome,
        logger,
        env: { HYPERV_LAB_PATH: lab.path },
        modules: [LAB_MODULE],
      });
      const journalDir = await mkdtemp(join(tmpdir(), 'hyperv-journal-'));
      const executor = createMoveExecutor({ runner: pool, journalDir, pollIntervalMs: 150, credentialFor: () => undefined });
      try {
        const where =
          'param($Params)\n@(Get-VM -ComputerName HV01, HV02 | Where-Object Name -eq web01 | ForEach-Object { [pscustomobject]@{ Id = $_.Id.ToString(); Host = $_.ComputerName } })';
        const [web01] = await lab.run<{ Id: string; Host: string }[]>('where', where);
        assert.equal(web01.Host, 'HV01');
        const handle = await executor.start({
          request: { vmId: web01.Id, vmName: 'web01', source: 'HV01', destination: 'HV02' },
          adapterSwitches: {},
          ejectDvd: [],
        });
        const done = await handle.done;
        assert.equal(done.outcome?.phase, 'succeeded', JSON.stringify(done.outcome));
        assert.deepEqual(done.outcome?.vmFoundOn, { host: 'HV02', state: 'Running' });
        const after = await lab.run<{ Id: string; Host: string }[]>('where', where);
        assert.deepEqual(after, [{ Id: web01.Id, Host: 'HV02' }], 'web01 exists once, on HV02');
        assert.ok(
          logger.lines.some((line) => /^\[warn\] Deleted the sessions' own startup profile .* it is damaged/.test(line)),
          logger.lines.join('\n'),
        );
      } finally {
        executor.dispose();
        await pool.dispose();
        await lab.dispose();
        await rm(journalDir, { recursive: true, force: true });
      }
    });
  });
});
