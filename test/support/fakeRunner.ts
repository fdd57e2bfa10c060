import type { CallOptions, PowerShellResult, PowerShellRunner, Script } from '../../src/powershell/types';

export interface FakeCall {
  readonly script: string;
  readonly params: unknown;
  readonly options?: CallOptions;
}

type Answer = (params: unknown) => PowerShellResult<unknown> | Promise<PowerShellResult<unknown>>;

/** The PowerShell boundary, faked: answers by script name, runs the script's real parser on the data. */
export class FakeRunner implements PowerShellRunner {
  readonly calls: FakeCall[] = [];
  private readonly answers = new Map<string, Answer>();

  /** `concurrency`: what a pool of that size would say (unset: a runner with no stated limit). */
  constructor(readonly concurrency?: number) {}

  answer(script: string, answer: Answer): this {
    this.answers.set(script, answer);
    return this;
  }

  async run<P, T>(script: Script<P, T>, params: P, options?: CallOptions): Promise<PowerShellResult<T>> {
    this.calls.push({ script: script.name, params, options });
    const answer = this.answers.get(script.name);
    if (!answer) throw new Error(`FakeRunner: no answer for ${script.name}`);
    const result = await answer(params);
    if (!result.ok) return result;
    return { ok: true, data: script.parse(result.data), warnings: result.warnings };
  }

  async dispose(): Promise<void> {}
}

export function ok(data: unknown): PowerShellResult<unknown> {
  return { ok: true, data, warnings: [] };
}
