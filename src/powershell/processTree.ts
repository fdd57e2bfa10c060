// Stopping a PowerShell session means stopping everything it started too (jobs, native tools).
// node-powershell spawns without a process group, so the tree is found by parent ids.

import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

async function parentsFromProc(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  return parents;
}

function parentsFromPs(): Promise<Map<number, number>> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], (error: Error | null, stdout: string) => {
      if (error) {
        reject(error);
        return;
      }
      const parents = new Map<number, number>();
      for (const line of stdout.split('\n')) {
        const [pid, ppid] = line.trim().split(/\s+/).map(Number);
        if (pid && ppid !== undefined && !Number.isNaN(ppid)) parents.set(pid, ppid);
      }
      resolve(parents);
    });
  });
}

/** The ids of every process below `pid` (children, grandchildren, ...). Not available on Windows. */
export async function listDescendants(pid: number): Promise<number[]> {
  if (process.platform === 'win32') return [];
  const parents = process.platform === 'linux' ? await parentsFromProc() : await parentsFromPs();
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) {
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const pending = [...(children.get(pid) ?? [])];
  while (pending.length > 0) {
    const next = pending.shift() as number;
    if (found.includes(next)) continue;
    found.push(next);
    pending.push(...(children.get(next) ?? []));
  }
  return found;
}

/** Sends `name` to `pid`; answers why it could not, unless the process is simply gone already. */
function signal(pid: number, name: NodeJS.Signals): Error | undefined {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') return error as Error;
  }
  return undefined;
}

/** Whether `pid` is still a live process (a zombie, dead but not yet collected by its parent, is not). */
export async function isAlive(pid: number): Promise<boolean> {
  if (process.platform === 'linux') {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const GONE_POLL_MS = 10;
const GONE_WAIT_MS = 5000;
/** taskkill itself is given this long; PowerShellSession.kill bounds the whole kill anyway. */
const TASKKILL_WAIT_MS = 10_000;

async function waitGone(pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + GONE_WAIT_MS;
  let alive = [...pids];
  while (alive.length > 0 && Date.now() < deadline) {
    const states = await Promise.all(alive.map(isAlive));
    alive = alive.filter((_, index) => states[index]);
    if (alive.length > 0) await new Promise((resolve) => setTimeout(resolve, GONE_POLL_MS));
  }
}

/**
 * Kills `pid` and all its descendants (SIGKILL; `taskkill /T /F` on Windows) and resolves once they are
 * gone, so a caller told "stopped" can rely on it. (A dotnet-tool `pwsh` is a launcher whose PowerShell
 * is its child: killing the launcher alone would leave PowerShell running.) Rejects with why when the
 * root could not be signalled or taskkill failed (it also fails for a process that has just ended).
 */
export async function killProcessTree(pid: number): Promise<void> {
  if (process.platform === 'win32') {
    await new Promise<void>((resolve, reject) => {
      execFile('taskkill', ['/PID', String(pid), '/T', '/F'], { windowsHide: true, timeout: TASKKILL_WAIT_MS }, (error: Error | null) =>
        error ? reject(error) : resolve(),
      );
    });
    return;
  }
  // Stopped first, the root cannot start anything new while its tree is collected.
  signal(pid, 'SIGSTOP');
  let descendants: number[] = [];
  let refused: Error | undefined;
  try {
    descendants = await listDescendants(pid);
  } finally {
    refused = signal(pid, 'SIGKILL');
    for (const each of descendants) signal(each, 'SIGKILL');
  }
  await waitGone(descendants);
  if (refused) throw refused;
}
