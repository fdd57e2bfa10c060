// PowerShell 7's multi-core JIT startup profile, and why the sessions keep away from the user's.
//
// At every start PowerShell calls `ProfileOptimization.SetProfileRoot(Platform.CacheDirectory)` and
// `StartProfile("StartupProfileData-NonInteractive")` ("-Interactive" when PSReadLine loads): the runtime replays
// the file at start and rewrites it when the process exits (and on Windows also 12 s after start). Sources:
// PowerShell ConsoleHost.cs `ConsoleHost.Start`; `Platform.CacheDirectory` in CorePsPlatform.cs is
// `$XDG_CACHE_HOME/powershell` or `~/.cache/powershell` on Linux and macOS, and
// `Environment.GetFolderPath(LocalApplicationData)\Microsoft\PowerShell` on Windows, which .NET reads with
// SHGetKnownFolderPath (dotnet/runtime Environment.Win32.cs `GetFolderPathCore`), not from an environment variable.
// Processes that write the file at once can leave it torn; from then on every pwsh that replays it may crash at
// start, typically with `System.IO.FileLoadException: The given assembly name was invalid` (PowerShell/PowerShell
// issue 26528, dotnet/runtime issue 121977; both open).
//
// So the sessions never use the user's file:
// - Linux and macOS: XDG_CACHE_HOME points at a folder of the extension's own (the startup profile and the
//   module analysis cache live there; telemetry and update-check files too, both switched off for the sessions).
// - Windows: nothing moves the folder, so the runtime's knob `DOTNET_MultiCoreJitMinNumCpus` (a hex DWORD,
//   dotnet/runtime clrconfigvalues.h) is set above any processor count: `MulticoreJitManager::SetProfileRoot`
//   (multicorejit.cpp) then ignores the root, and `StartProfile` neither reads nor writes a profile.
//   Windows PowerShell 5.1 (.NET Framework) reads no DOTNET_ variable and keeps its own profile under
//   %LOCALAPPDATA%\Microsoft\Windows\PowerShell; no report ties it to this defect and nothing here changes it.
//
// The extension's own profile can be torn by its own sessions the same way (they exit together when VS Code
// closes); a session that crashes at start while one exists gets it deleted and starts once more.

import { mkdirSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join, win32 } from 'node:path';
import * as l10n from '@vscode/l10n';
import { formatList } from '../hyperv/format';

/** The profile files PowerShell 7's console host writes in its cache folder. */
export const STARTUP_PROFILE_NAMES = ['StartupProfileData-NonInteractive', 'StartupProfileData-Interactive'] as const;

/** Above any processor count, so the runtime never sets a profile root (a hex DWORD: 65535). */
const NO_MULTICORE_JIT = 'FFFF';

/** PowerShell's own cache folder for the user whose environment this is (`Platform.CacheDirectory`). */
export function powershellCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    // The known folder LocalAppData, which LOCALAPPDATA names in every ordinary environment.
    const localAppData = Object.entries(env).find(([name]) => name.toUpperCase() === 'LOCALAPPDATA')?.[1];
    return win32.join(localAppData ?? win32.join(homedir(), 'AppData', 'Local'), 'Microsoft', 'PowerShell');
  }
  const xdg = env.XDG_CACHE_HOME;
  return xdg ? join(xdg, 'powershell') : join(env.HOME ?? homedir(), '.cache', 'powershell');
}

/** The startup profile files in a PowerShell cache folder. */
export function startupProfileFiles(cacheDirectory: string): string[] {
  return STARTUP_PROFILE_NAMES.map((name) => join(cacheDirectory, name));
}

/**
 * Where the sessions' cache goes when the caller names no folder: `<tmp>/hyperv-live-migration-<uid>/pwsh-cache`,
 * created for this user only; a folder of that name that another user owns is not used (a fresh one is made).
 */
export function defaultSessionCacheHome(): string {
  const uid = process.getuid?.();
  const base = join(tmpdir(), `hyperv-live-migration-${uid ?? userInfo().username}`);
  mkdirSync(base, { recursive: true, mode: 0o700 });
  if (uid !== undefined && statSync(base).uid !== uid) {
    throw new Error(l10n.t("{0} belongs to another user; set the pool's cacheHome.", base));
  }
  return join(base, 'pwsh-cache');
}

/** The environment that keeps a session off the user's startup profile (see the top of this file). */
export function sessionCacheEnvironment(cacheHome: string, platform: NodeJS.Platform = process.platform): Record<string, string> {
  return platform === 'win32' ? { DOTNET_MultiCoreJitMinNumCpus: NO_MULTICORE_JIT } : { XDG_CACHE_HOME: cacheHome };
}

/** The startup profile files the sessions read and write (none on Windows, where they use no profile). */
export function sessionProfileFiles(cacheHome: string, platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'win32' ? [] : startupProfileFiles(join(cacheHome, 'powershell'));
}

/** Deletes the sessions' own startup profile files; answers the ones that were there. */
export async function removeSessionProfiles(cacheHome: string, platform: NodeJS.Platform = process.platform): Promise<string[]> {
  const removed: string[] = [];
  for (const file of sessionProfileFiles(cacheHome, platform)) {
    try {
      await rm(file);
      removed.push(file);
    } catch {
      // Not there (or not ours to remove): nothing to mend.
    }
  }
  return removed;
}

const CRASH_SIGNATURES = [/The given assembly name was invalid/i, /AssemblyNameParser/, /StartupProfileData/];

/** Whether what a process wrote before it died is the crash a damaged startup profile causes. */
export function isStartupProfileCrash(stderr: string): boolean {
  return CRASH_SIGNATURES.some((pattern) => pattern.test(stderr));
}

/** How to mend a damaged startup profile by hand. */
export function startupProfileAdvice(files: readonly string[]): string {
  if (files.length <= 1) {
    return l10n.t(
      'Delete "{0}": PowerShell writes a new one at its next start. (A known PowerShell defect when several pwsh processes start or exit at once: PowerShell/PowerShell issue 26528.)',
      files[0] ?? '',
    );
  }
  return l10n.t(
    'Delete {0}: PowerShell writes a new one at its next start. (A known PowerShell defect when several pwsh processes start or exit at once: PowerShell/PowerShell issue 26528.)',
    formatList(files.map((file) => l10n.t('"{0}"', file))),
  );
}

// The file's layout, from dotnet/runtime multicorejitimpl.h (format comment, HeaderRecord, ModuleRecord) and how
// MulticoreJitProfilePlayer::ReadCheckFile and ::PlayProfile (multicorejitplayer.cpp) walk it.
const HEADER_RECORD = 0x01000040; // Pack8_24(MULTICOREJIT_HEADER_RECORD_ID = 1, sizeof(HeaderRecord) = 64)
const HEADER_SIZE = 64;
const MODULE_RECORD = 2;
const MODULE_DEPENDENCY_RECORD = 3;
const METHOD_RECORD = 4;
const GENERIC_METHOD_RECORD = 5;
const MODULE_RECORD_SIZE = 44; // recordID, ModuleVersion (28), jitMethodCount, flags, wLoadLevel, lenModuleName, lenAssemblyName
/** A display name as AssemblyNameParser takes it: a simple name, then `, Key=Value` pairs, printable ASCII. */
const ASSEMBLY_NAME = /^[A-Za-z0-9_][^,="'\\/:\s]*(, [A-Za-z]+=[^,="'\\/:\s]+)*$/;

const alignUp = (value: number): number => (value + 3) & ~3;

export interface ProfileDamage {
  readonly reason: string;
  /**
   * True when every start that replays the file crashes: a module whose assembly name does not parse (the
   * runtime's AssemblyNameParser throws "The given assembly name was invalid" when the player loads that module;
   * reproduced with the pwsh of .tools). Otherwise the file is torn (records that do not walk to its end or disagree
   * with the header's counts): the player stops at the bad record and the next clean exit writes a new file, unless
   * what it replayed first crashes the process (issue 26528 reports stack overflows and segfaults too).
   */
  readonly fatal: boolean;
}

/**
 * What is wrong with a startup profile, or undefined. A file whose header the runtime rejects is not reported:
 * the runtime ignores such a file and writes a new one.
 */
export function startupProfileDamage(bytes: Buffer): ProfileDamage | undefined {
  const torn = (reason: string): ProfileDamage => ({ reason, fatal: false });
  if (bytes.length < HEADER_SIZE || bytes.readUInt32LE(0) !== HEADER_RECORD) return undefined;
  const expected = { modules: bytes.readUInt32LE(12), methods: bytes.readUInt32LE(16), dependencies: bytes.readUInt32LE(20) };
  const seen = { modules: 0, methods: 0, dependencies: 0 };
  let at = HEADER_SIZE;
  while (at + 4 <= bytes.length) {
    const data = bytes.readUInt32LE(at);
    const type = data >>> 24;
    let length: number;
    if (type === MODULE_RECORD) length = data & 0xffffff;
    else if (type === MODULE_DEPENDENCY_RECORD) length = 4;
    else if (type === METHOD_RECORD) length = 8;
    else if (type === GENERIC_METHOD_RECORD && at + 6 <= bytes.length) length = alignUp(bytes.readUInt16LE(at + 4) + 6);
    else return torn(`an unknown record at byte ${at}`);
    if (length === 0 || length % 4 !== 0 || at + length > bytes.length) return torn(`a record at byte ${at} runs past the end of the file`);
    if (type === MODULE_RECORD) {
      if (length < MODULE_RECORD_SIZE) return torn(`a module record at byte ${at} is too short`);
      const nameLength = bytes.readUInt16LE(at + 38);
      const assemblyLength = bytes.readUInt16LE(at + 40);
      if (alignUp(nameLength) + assemblyLength > length - MODULE_RECORD_SIZE)
        return torn(`a module record at byte ${at} is too short for its names`);
      const start = at + MODULE_RECORD_SIZE + alignUp(nameLength);
      const assembly = bytes.subarray(start, start + assemblyLength).toString('latin1');
      if (!ASSEMBLY_NAME.test(assembly)) {
        return {
          reason: `module ${seen.modules} has an assembly name that does not parse: "${assembly.slice(0, 60).replace(/[^\x20-\x7e]/g, '?')}"`,
          fatal: true,
        };
      }
      seen.modules += 1;
    } else if (type === MODULE_DEPENDENCY_RECORD) {
      seen.dependencies += 1;
    } else {
      seen.methods += 1;
    }
    at += length;
  }
  if (at !== bytes.length) return torn(`${bytes.length - at} stray bytes at its end`);
  if (seen.modules !== expected.modules || seen.methods !== expected.methods || seen.dependencies !== expected.dependencies) {
    return torn(
      `its header counts ${expected.modules} modules, ${expected.methods} methods and ${expected.dependencies} dependencies, ` +
        `its records ${seen.modules}, ${seen.methods} and ${seen.dependencies}`,
    );
  }
  return undefined;
}

export interface DamagedProfile extends ProfileDamage {
  readonly file: string;
}

/** The startup profiles in a PowerShell cache folder that are damaged (reads at most two small files). */
export async function findDamagedProfiles(cacheDirectory: string): Promise<DamagedProfile[]> {
  const damaged: DamagedProfile[] = [];
  for (const file of startupProfileFiles(cacheDirectory)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      continue;
    }
    const damage = startupProfileDamage(bytes);
    if (damage) damaged.push({ file, ...damage });
  }
  return damaged;
}

/** Deletes the sessions' own startup profiles that would crash the next session at start; answers them. */
export async function removeFatalSessionProfiles(
  cacheHome: string,
  platform: NodeJS.Platform = process.platform,
): Promise<DamagedProfile[]> {
  const removed: DamagedProfile[] = [];
  for (const file of sessionProfileFiles(cacheHome, platform)) {
    const damage = await readFile(file).then(startupProfileDamage, () => undefined);
    if (!damage?.fatal) continue;
    await rm(file, { force: true });
    removed.push({ file, ...damage });
  }
  return removed;
}

/** What the user is told about a damaged startup profile of their own. */
export function damagedProfileMessage(damaged: DamagedProfile): string {
  return damaged.fatal
    ? l10n.t(
        'PowerShell\'s startup profile "{0}" is damaged ({1}). Every pwsh that reads it crashes at start with "System.IO.FileLoadException: The given assembly name was invalid" (a known PowerShell defect: PowerShell/PowerShell issue 26528); the extension\'s own sessions do not read it. Delete the file to mend it: PowerShell writes a new one at its next start.',
        damaged.file,
        damaged.reason,
      )
    : l10n.t(
        'PowerShell\'s startup profile "{0}" is damaged ({1}). A pwsh that reads it may crash at start; a clean exit of one that does not writes a new file (a known PowerShell defect: PowerShell/PowerShell issue 26528); the extension\'s own sessions do not read it. Delete the file to mend it: PowerShell writes a new one at its next start.',
        damaged.file,
        damaged.reason,
      );
}
