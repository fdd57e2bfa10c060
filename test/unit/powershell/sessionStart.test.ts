// A session that crashes while starting the way a damaged startup profile makes PowerShell crash: the failure
// says so, with what PowerShell wrote and how to mend it, in the display language (English as it always read).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setDisplayLanguage } from '../../../src/hyperv/format';
import type { PowerShellSession } from '../../../src/powershell/session';
import { startSession, type StartContext } from '../../../src/powershell/sessionStart';
import type { Logger, PowerShellResult } from '../../../src/powershell/types';

const root = resolve(__dirname, '..', '..', '..', '..');
const german = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;
const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const said = 'Unhandled exception. System.IO.FileLoadException: The given assembly name was invalid.';

describe('PowerShell session start', () => {
  let cacheHome: string;

  beforeEach(async () => {
    cacheHome = await mkdtemp(join(tmpdir(), 'hvlm-start-'));
  });

  afterEach(async () => {
    setDisplayLanguage('en', {});
    await rm(cacheHome, { recursive: true, force: true });
  });

  /** What a start answers when every session it makes dies at once with PowerShell's profile crash. */
  async function crashedStart(): Promise<string> {
    const session = {
      pid: 4242,
      lastErrorOutput: said,
      initialize: () => Promise.resolve({ kind: 'ended', end: { kind: 'exited', code: 134, signal: null } }),
    } as unknown as PowerShellSession;
    const context: StartContext = {
      executable: '/usr/bin/pwsh',
      cacheHome,
      logger: silent,
      timeoutMs: 5_000,
      create: () => session,
      discard: () => Promise.resolve(undefined),
      whenClosed: () => undefined,
    };
    const result = (await startSession(context)) as PowerShellResult<never>;
    assert.equal(result.ok, false);
    if (result.ok) throw new Error('unreachable');
    assert.equal(result.error.kind, 'powershellMissing');
    return result.error.message;
  }

  it('says in English that PowerShell crashed while starting, with what it wrote and which profile to delete', async () => {
    assert.match(
      await crashedStart(),
      /^PowerShell \("\/usr\/bin\/pwsh"\) crashed while starting \(exit code 134\): Unhandled exception\. System\.IO\.FileLoadException: The given assembly name was invalid\. PowerShell crashes so when its startup profile is damaged\. Delete "[^"]+": PowerShell writes a new one at its next start\. \(A known PowerShell defect when several pwsh processes start or exit at once: PowerShell\/PowerShell issue 26528\.\)$/,
    );
  });

  it('says it in German, keeping what PowerShell wrote as it wrote it', async () => {
    setDisplayLanguage('de', german);
    assert.match(
      await crashedStart(),
      /^PowerShell \(„\/usr\/bin\/pwsh“\) ist beim Start abgestürzt \(exit code 134\): Unhandled exception\. System\.IO\.FileLoadException: The given assembly name was invalid\. PowerShell stürzt so ab, wenn sein Startprofil beschädigt ist\. Löschen Sie „[^“]+“: PowerShell schreibt beim nächsten Start eine neue Datei\./,
    );
  });
});
