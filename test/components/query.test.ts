import {expect} from '@open-wc/testing';
import {QueryController, type QueryOptions, type QueryStatus} from '../../src/api/query.js';
import {BwpRequestError} from '../../src/api/types.js';
import {fakeClock} from './fake-proxy.js';

interface Controller {
  hostConnected?(): void;
  hostDisconnected?(): void;
  hostUpdate?(): void;
}

/** A host shaped like a Lit element, updated by hand: `update()` runs what Lit runs before render. */
function fakeHost() {
  const controllers: Controller[] = [];
  const seen: QueryStatus[] = [];
  let query: QueryController<unknown, unknown> | undefined;
  return {
    seen,
    watch: (q: QueryController<unknown, unknown>) => (query = q),
    addController: (controller: object) => controllers.push(controller),
    // Each update the query asks for records the status it would draw.
    requestUpdate: () => void (query && seen.push(query.status)),
    connect: () => controllers.forEach((c) => c.hostConnected?.()),
    disconnect: () => controllers.forEach((c) => c.hostDisconnected?.()),
    update: () => controllers.forEach((c) => c.hostUpdate?.()),
  };
}

/** A query over `state.input` (0 means nothing to fetch), connected and updated once. */
function setup<T>(options: Omit<QueryOptions<{input: number}, T>, 'args' | 'clock' | 'onSettled'>) {
  const clock = fakeClock();
  const host = fakeHost();
  const state = {input: 1, settled: 0};
  const waiting: Array<{count: number; resolve: () => void}> = [];
  const query = new QueryController(host, {
    args: () => (state.input ? {input: state.input} : null),
    clock: () => clock,
    onSettled: () => {
      state.settled++;
      for (const waiter of waiting.filter((w) => w.count <= state.settled)) waiter.resolve();
    },
    ...options,
  });
  /** Resolves once `count` runs have settled. */
  const settled = (count: number) =>
    state.settled >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({count, resolve}));
  host.watch(query as unknown as QueryController<unknown, unknown>);
  host.connect();
  host.update();
  return {clock, host, state, query, settled};
}

const never = () => new Promise<never>(() => {});

describe('QueryController', () => {
  it('runs once with the last inputs after they stayed unchanged for the debounce', () => {
    const runs: number[] = [];
    const {clock, host, state, query} = setup({
      run: ({input}) => {
        runs.push(input);
        return never();
      },
      debounceMs: () => 150,
    });
    clock.tick(100);
    state.input = 2;
    host.update();
    clock.tick(100);
    expect(runs).to.deep.equal([]);
    clock.tick(50);
    expect(runs).to.deep.equal([2]);
    expect(query.status).to.equal('pending');
  });

  it('settles an answer given at once without ever drawing pending', () => {
    const {clock, host, state, query} = setup({run: () => 'refused', debounceMs: () => 0});
    clock.tick(0);
    expect(query.status).to.equal('complete');
    expect(query.value).to.equal('refused');
    expect(state.settled).to.equal(1);
    expect(host.seen).to.not.include('pending');
  });

  it('fails a run that throws at once as unavailable instead of throwing into the page', () => {
    const {clock, query, state} = setup({
      run: () => {
        throw new TypeError('Failed to construct URL: Invalid URL');
      },
      debounceMs: () => 0,
    });
    expect(() => clock.tick(0)).to.not.throw();
    expect(query.status).to.equal('error');
    expect(query.error).to.equal('unavailable');
    expect(state.settled).to.equal(1);
  });

  it('says a run was caused by an expiry, unless an input changed during the wait', async () => {
    let expiresAt = 0;
    const causes: string[] = [];
    const {clock, host, state, query, settled} = setup({
      run: async () => {
        causes.push(query.cause);
        return 'offer';
      },
      debounceMs: () => 150,
      expiresAt: () => expiresAt,
    });
    expiresAt = clock.now() + 150 + 1000;
    clock.tick(150);
    await settled(1);
    clock.tick(1000);
    expect(query.value, 'an expired value is never drawn again').to.equal(undefined);
    clock.tick(150);
    await settled(2);
    expiresAt = clock.now() + 1000;
    query.watchExpiry();
    clock.tick(1000);
    host.update();
    state.input = 2;
    host.update();
    clock.tick(150);
    await settled(3);
    expect(causes).to.deep.equal(['input', 'expired', 'input']);
  });

  it('schedules nothing while its host is away, aborts the run in flight and asks again on return', () => {
    const runs: Array<{input: number; signal: AbortSignal}> = [];
    const {clock, host, state, query} = setup({
      run: ({input}, signal) => {
        runs.push({input, signal});
        return never();
      },
      debounceMs: () => 150,
    });
    clock.tick(150);
    host.disconnect();
    expect(runs[0]!.signal.aborted).to.equal(true);
    state.input = 2;
    query.refresh();
    host.update();
    expect(clock.pending).to.equal(0);
    host.connect();
    host.update();
    clock.tick(150);
    expect(runs.map((r) => r.input)).to.deep.equal([1, 2]);
  });

  it('draws each status with its own renderer', async () => {
    let fail = false;
    const {host, state, query, settled} = setup<string>({
      run: async ({input}) => {
        if (fail) throw new BwpRequestError('rate_limited');
        return `value ${input}`;
      },
    });
    const draw = () =>
      query.render({
        idle: () => 'idle',
        pending: (shown) => `pending, showing ${shown ?? 'nothing'}`,
        complete: (value) => value,
        error: (code) => `error ${code}`,
      });
    expect(draw()).to.equal('pending, showing nothing');
    await settled(1);
    expect(draw()).to.equal('value 1');
    fail = true;
    state.input = 2;
    host.update();
    expect(draw()).to.equal('pending, showing value 1');
    await settled(2);
    expect(draw()).to.equal('error rate_limited');
    state.input = 0;
    host.update();
    expect(draw()).to.equal('idle');
  });
});
