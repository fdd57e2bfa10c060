// What every fleet job inherits: `exists` once it holds a run, and `dispatch`, which hands each message to the
// handler of its type and logs, without acting, a message no handler takes; and how the panel knows a job's messages.
import * as assert from 'node:assert/strict';
import { DRAIN_MESSAGES } from '../../../../src/panel/fleet/drainJob';
import { FleetJobBase, isMessageOf } from '../../../../src/panel/fleet/fleetJobBase';
import { HA_MESSAGES } from '../../../../src/panel/fleet/haJob';
import { FakeRunner } from '../../../support/fakeRunner';
import { fakeContext } from './fakeContext';

type Message = { readonly type: 'one'; readonly n: number } | { readonly type: 'two'; readonly text: string };

class Job extends FleetJobBase<string> {
  readonly handled: string[] = [];

  open(run: string): void {
    this.current = run;
  }

  handle(message: Message): Promise<void> {
    return this.dispatch(message, {
      one: (m) => this.record(`one ${m.n}`),
      two: (m) => this.record(`two ${m.text}`),
    });
  }

  private record(text: string): Promise<void> {
    this.handled.push(text);
    return Promise.resolve();
  }
}

function setup() {
  const { ctx } = fakeContext({ runner: new FakeRunner(), hosts: [] });
  const warnings: string[] = [];
  const job = new Job({ ...ctx, deps: { ...ctx.deps, logger: { ...ctx.deps.logger, warn: (text: string) => warnings.push(text) } } });
  return { job, warnings };
}

describe('fleet job base', function () {
  it('exists once it holds a run', function () {
    const { job } = setup();
    assert.equal(job.exists, false);
    job.open('run');
    assert.equal(job.exists, true);
  });

  it('hands each message to the handler of its type, with the message', async function () {
    const { job, warnings } = setup();
    await job.handle({ type: 'two', text: 'b' });
    await job.handle({ type: 'one', n: 1 });
    assert.deepEqual(job.handled, ['two b', 'one 1']);
    assert.deepEqual(warnings, []);
  });

  it('logs a message no handler takes (the name of an Object method too) and acts on none', async function () {
    const { job, warnings } = setup();
    for (const type of ['three', 'toString', 'constructor']) await job.handle({ type } as unknown as Message);
    assert.deepEqual(job.handled, []);
    assert.deepEqual(warnings, [
      'fleet panel: unknown message {"type":"three"}',
      'fleet panel: unknown message {"type":"toString"}',
      'fleet panel: unknown message {"type":"constructor"}',
    ]);
  });

  it('routes a webview message to the job whose list has its type, and to no other', function () {
    assert.equal(isMessageOf(DRAIN_MESSAGES, { type: 'drainOverride', vmId: 'v', host: 'HV02' }), true);
    assert.equal(isMessageOf(HA_MESSAGES, { type: 'drainOverride', vmId: 'v', host: 'HV02' }), false);
    assert.equal(isMessageOf(HA_MESSAGES, { type: 'haShowScript' }), true);
    assert.equal(isMessageOf(DRAIN_MESSAGES, { type: 'ready' }), false);
  });
});
