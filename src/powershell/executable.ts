// Which PowerShell the sessions run. The environment variable NODE_POWERSHELL, which node-powershell
// would silently obey, plays no part: the setting, PATH and the platform decide.

import { access, constants, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const POWERSHELL_PATH_SETTING = 'hyperv.powershell.path';

function pathEntries(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  // Windows spells it Path; an env object passed in is not case-insensitive the way process.env is there.
  const key = platform === 'win32' ? Object.keys(env).find((name) => name.toUpperCase() === 'PATH') : 'PATH';
  const value = key ? env[key] : undefined;
  return (value ?? '')
    .split(platform === 'win32' ? ';' : ':')
    .map((entry) => entry.trim().replace(/^"(.*)"$/, '$1'))
    .filter((entry) => entry.length > 0);
}

async function isExecutableFile(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    if (platform !== 'win32') await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(name: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const directory of pathEntries(platform, env)) {
    const candidate = join(directory, name);
    if (await isExecutableFile(candidate, platform)) return candidate;
  }
  return undefined;
}

/**
 * The PowerShell to run: the configured setting (`hyperv.powershell.path`) as given, else `pwsh` on
 * PATH, else Windows PowerShell on Windows (on PATH or in its system folder). `undefined` when none is found.
 */
export async function resolveExecutable(
  configured: string | undefined,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const setting = configured?.trim();
  if (setting) return setting;
  const windows = platform === 'win32';
  const pwsh = await findOnPath(windows ? 'pwsh.exe' : 'pwsh', platform, env);
  if (pwsh || !windows) return pwsh;
  const onPath = await findOnPath('powershell.exe', platform, env);
  if (onPath) return onPath;
  const systemRoot = Object.entries(env).find(([name]) => name.toUpperCase() === 'SYSTEMROOT')?.[1];
  if (!systemRoot) return undefined;
  const builtIn = join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  return (await isExecutableFile(builtIn, platform)) ? builtIn : undefined;
}

/** Why no PowerShell could be started, naming what was tried and the setting that fixes it. */
export function missingExecutableMessage(tried: string | undefined, reason?: string, platform = process.platform): string {
  const fix = `Install PowerShell 7 (pwsh) or set "${POWERSHELL_PATH_SETTING}" to a PowerShell executable.`;
  if (tried) {
    return `PowerShell could not be started from "${tried}"${reason ? ` (${reason})` : ''}. ${fix}`;
  }
  const looked = platform === 'win32' ? 'pwsh.exe and powershell.exe on PATH and Windows PowerShell in %SystemRoot%' : 'pwsh on PATH';
  return `PowerShell was not found: looked for ${looked}. ${fix}`;
}
