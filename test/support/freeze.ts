// Freezing a process in place, for tests that act "the moment" the lab shows something: the process stops where
// it is (mid-script, its answer not yet written) and goes on when thawed, as if it had only been slow.
// - Linux and macOS: SIGSTOP / SIGCONT; whether the lab's lock is held, by `flock --nonblock` (the lab opens
//   <lab>.lock with FileShare.None, which .NET takes as an flock there).
// - Windows: one helper PowerShell (the one the pools find) with a small P/Invoke type loaded once suspends and
//   resumes every thread of a process (ntdll's NtSuspendProcess / NtResumeProcess) and opens <lab>.lock the way
//   the lab does; it is asked one line at a time over stdin/stdout, so a freeze costs a round trip, not a start.
//   UNTESTED ON WINDOWS: only its PowerShell text (it parses, its type compiles and loads) and its line protocol
//   (ping, lock, an error line, the helper's death) were tried, with pwsh on Linux.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolveExecutable } from '../../src/powershell/executable';
import { killProcessTree } from '../../src/powershell/processTree';
import { sessionEnvironment } from '../../src/powershell/session';
import { defaultSessionCacheHome, sessionCacheEnvironment } from '../../src/powershell/startupProfile';

export interface Freezer {
  /** Stops the process where it is. */
  freeze(pid: number): Promise<void>;
  /** Lets a frozen process go on. */
  thaw(pid: number): Promise<void>;
  /** Whether some process holds the lab's lock file (`<lab>.lock`) at this moment. */
  lockHeld(path: string): Promise<boolean>;
  dispose(): Promise<void>;
}

/** The freezer of this platform; on Windows once its helper has answered. */
export function openFreezer(): Promise<Freezer> {
  return process.platform === 'win32' ? openWindowsFreezer() : Promise.resolve(posixFreezer);
}

/** `act`'s value, or its exception, as a promise. */
function promised<T>(act: () => T): Promise<T> {
  return new Promise((resolve) => resolve(act()));
}

const posixFreezer: Freezer = {
  freeze: (pid) => promised(() => void process.kill(pid, 'SIGSTOP')),
  thaw: (pid) => promised(() => void process.kill(pid, 'SIGCONT')),
  lockHeld: (path) => promised(() => spawnSync('flock', ['--nonblock', '--exclusive', path, 'true']).status !== 0),
  dispose: () => Promise.resolve(),
};

/**
 * The Windows helper's PowerShell text (Windows PowerShell 5.1 and PowerShell 7; C# 5 for 5.1's compiler). It reads
 * `ping`, `freeze <pid>`, `thaw <pid>` or `lock <path>` lines and answers each with `ok`, `ok held`, `ok free` or
 * `error <message>`, until stdin ends.
 */
export function windowsFreezeScript(): string {
  return `$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace HyperVLiveMigrationTests
{
    public static class Freeze
    {
        // PROCESS_SUSPEND_RESUME, the right NtSuspendProcess and NtResumeProcess need on the handle.
        private const uint ProcessSuspendResume = 0x0800;

        [DllImport("kernel32.dll", SetLastError = true)]
        private static extern IntPtr OpenProcess(uint desiredAccess, bool inheritHandle, int processId);

        [DllImport("kernel32.dll", SetLastError = true)]
        private static extern bool CloseHandle(IntPtr handle);

        [DllImport("ntdll.dll")]
        private static extern int NtSuspendProcess(IntPtr process);

        [DllImport("ntdll.dll")]
        private static extern int NtResumeProcess(IntPtr process);

        public static void Suspend(int processId) { Call(processId, true); }

        public static void Resume(int processId) { Call(processId, false); }

        private static void Call(int processId, bool suspend)
        {
            IntPtr process = OpenProcess(ProcessSuspendResume, false, processId);
            if (process == IntPtr.Zero)
            {
                int error = Marshal.GetLastWin32Error();
                throw new InvalidOperationException(String.Format("OpenProcess({0}): {1}", processId, new Win32Exception(error).Message));
            }
            try
            {
                int status = suspend ? NtSuspendProcess(process) : NtResumeProcess(process);
                if (status < 0)
                {
                    string name = suspend ? "NtSuspendProcess" : "NtResumeProcess";
                    throw new InvalidOperationException(String.Format("{0}({1}): NTSTATUS 0x{2:X8}", name, processId, status));
                }
            }
            finally
            {
                CloseHandle(process);
            }
        }

        // Opens the lock file as the lab's Invoke-WithLabLock (Private/Store.ps1) does; the IOException it takes
        // for "locked" means held. Anything else (a missing folder, access denied) is an error, not a held lock.
        public static bool LockHeld(string path)
        {
            try
            {
                using (File.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)) { }
                return false;
            }
            catch (IOException error)
            {
                if (error.GetType() != typeof(IOException)) throw;
                return true;
            }
        }
    }
}
'@
$utf8 = [System.Text.UTF8Encoding]::new($false)
$reader = [System.IO.StreamReader]::new([System.Console]::OpenStandardInput(), $utf8)
$writer = [System.IO.StreamWriter]::new([System.Console]::OpenStandardOutput(), $utf8)
$writer.AutoFlush = $true
while ($null -ne ($line = $reader.ReadLine()))
{
    $verb, $argument = $line.Split([char[]] @(' '), 2)
    try
    {
        if ($verb -eq 'ping') { $answer = 'ok' }
        elseif ($verb -eq 'freeze') { [HyperVLiveMigrationTests.Freeze]::Suspend([System.Int32] $argument); $answer = 'ok' }
        elseif ($verb -eq 'thaw') { [HyperVLiveMigrationTests.Freeze]::Resume([System.Int32] $argument); $answer = 'ok' }
        elseif ($verb -eq 'lock')
        {
            if ([HyperVLiveMigrationTests.Freeze]::LockHeld($argument)) { $answer = 'ok held' } else { $answer = 'ok free' }
        }
        else { throw "unknown command: $line" }
    }
    catch
    {
        $answer = 'error ' + ($_.Exception.Message -replace '\\s+', ' ')
    }
    $writer.WriteLine($answer)
}
`;
}

/**
 * How long an answer may take before the helper counts as hung: a freeze takes well under a millisecond, the first
 * answer (PowerShell's start and the type's compile) seconds, more on a busy machine.
 */
const ANSWER_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 120_000;

interface Question {
  readonly line: string;
  resolve(value: string): void;
  reject(error: Error): void;
}

/** The Windows helper over stdin/stdout: one question at a time on the wire, answered in order. */
class HelperFreezer implements Freezer {
  readonly ended: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Question[] = [];
  private broken: Error | undefined;
  private stderrTail = '';

  constructor(executable: string) {
    const encoded = Buffer.from(windowsFreezeScript(), 'utf16le').toString('base64');
    const args = ['-NoProfile', '-NonInteractive', ...(process.platform === 'win32' ? ['-ExecutionPolicy', 'Bypass'] : [])];
    this.child = spawn(executable, [...args, '-EncodedCommand', encoded], {
      env: sessionEnvironment(sessionCacheEnvironment(defaultSessionCacheHome())),
      stdio: 'pipe',
      windowsHide: true,
    });
    this.child.stdin.on('error', () => undefined); // a dead helper shows as its exit
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.answer(line));
    this.ended = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.fail(
          `the freeze helper (${executable}) ended (code ${code}, signal ${signal}): ${this.stderrTail.trim() || 'no error output'}`,
        );
        resolve();
      });
      this.child.once('error', (error) => {
        this.fail(`the freeze helper (${executable}) failed: ${error.message}`);
        if (this.child.pid === undefined) resolve();
      });
    });
  }

  async freeze(pid: number): Promise<void> {
    await this.ask(`freeze ${pid}`);
  }

  async thaw(pid: number): Promise<void> {
    await this.ask(`thaw ${pid}`);
  }

  async lockHeld(path: string): Promise<boolean> {
    return (await this.ask(`lock ${path}`)) === 'held';
  }

  /** Answers once the helper has (its 'ok'), or rejects with its error line. */
  async ping(timeoutMs = ANSWER_TIMEOUT_MS): Promise<void> {
    await this.ask('ping', timeoutMs);
  }

  async dispose(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), 5_000);
    await this.ended;
    clearTimeout(timer);
  }

  /** Sends one line; resolves with what follows the helper's 'ok', rejects with its error line or its end. */
  private ask(line: string, timeoutMs = ANSWER_TIMEOUT_MS): Promise<string> {
    if (this.broken) return Promise.reject(this.broken);
    if (/[\r\n]/.test(line)) return Promise.reject(new Error(`not one line: ${JSON.stringify(line)}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`the freeze helper did not answer "${line}" in ${timeoutMs / 1000} s`), timeoutMs);
      this.waiting.push({
        line,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.stdin.write(`${line}\n`);
    });
  }

  private answer(text: string): void {
    const question = this.waiting.shift();
    if (!question) {
      this.fail(`the freeze helper said, unasked: ${text}`);
    } else if (text === 'ok' || text.startsWith('ok ')) {
      question.resolve(text.slice(3));
    } else if (text.startsWith('error ')) {
      question.reject(new Error(`the freeze helper could not "${question.line}": ${text.slice(6)}`));
    } else {
      const error = new Error(`the freeze helper answered "${question.line}" with: ${text}`);
      question.reject(error);
      this.fail(error.message);
    }
  }

  /** From here on every call fails with `why`, the ones waiting included; a helper still running is killed. */
  private fail(why: string): void {
    this.broken ??= new Error(why);
    for (const question of this.waiting.splice(0)) question.reject(this.broken);
    this.kill();
  }

  /** Kills the helper with what it started (a dotnet-tool pwsh is a launcher whose PowerShell is its child). */
  private kill(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    killProcessTree(pid).catch(() => undefined); // it ended meanwhile; its exit says so
  }
}

/**
 * Starts the Windows helper with the PowerShell the pools find (or `executable`); resolves once it answers a
 * ping, that is once its type is loaded.
 */
export async function openWindowsFreezer(executable?: string): Promise<Freezer> {
  const found = executable ?? (await resolveExecutable(undefined));
  if (!found) throw new Error('No PowerShell found for the freeze helper.');
  const helper = new HelperFreezer(found);
  try {
    await helper.ping(START_TIMEOUT_MS);
  } catch (error) {
    await helper.dispose();
    throw error;
  }
  return helper;
}
