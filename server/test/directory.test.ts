import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory } from '../src/directory';
import { createHarness, type Harness } from './support/harness';

/** A load the test finishes by hand, counting how often it was started. */
function gate<T>(value: T) {
  let release: () => void = () => {};
  const started = { count: 0 };
  const load = () => {
    started.count += 1;
    return new Promise<T>((resolve) => { release = () => resolve(value); });
  };
  return { load, started, release: () => release() };
}

describe('Directory.cached', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(async () => { await h.close(); });

  it('should run one load for requests that find the same entry missing at once, and keep its answer', async () => {
    // given a directory and a load that has not answered yet
    const dir = new Directory(h.deps.db, h.clock);
    const g = gate({ name: 'Lan' });
    // when three requests ask for the same entry meanwhile
    const asked = [dir.cached('user:u1', 5_000, g.load), dir.cached('user:u1', 5_000, g.load), dir.cached('user:u1', 5_000, g.load)];
    g.release();
    // then the load ran once and all three got its answer
    expect(await Promise.all(asked)).toEqual([{ name: 'Lan' }, { name: 'Lan' }, { name: 'Lan' }]);
    expect(g.started.count).toBe(1);
    // and the answer is kept for its time to live
    const again = gate({ name: 'other' });
    expect(await dir.cached('user:u1', 5_000, again.load)).toEqual({ name: 'Lan' });
    expect(again.started.count).toBe(0);
    // and loaded afresh once that time has passed
    h.clock.advance(5_001);
    const later = dir.cached('user:u1', 5_000, again.load);
    again.release();
    expect(await later).toEqual({ name: 'other' });
  });

  it('should not keep what a load read before the entry was forgotten, nor share a failed load', async () => {
    // given a load under way
    const dir = new Directory(h.deps.db, h.clock);
    const g = gate('before the edit');
    const first = dir.cached('user:u2', 5_000, g.load);
    // when the entry is forgotten meanwhile (an edit in this process)
    dir.forget('user:');
    // then a request after the edit loads again rather than waiting for the old load
    const fresh = gate('after the edit');
    const second = dir.cached('user:u2', 5_000, fresh.load);
    g.release();
    fresh.release();
    expect(await first).toBe('before the edit');
    expect(await second).toBe('after the edit');
    // and what the old load read is not kept
    const third = gate('unused');
    expect(await dir.cached('user:u2', 5_000, third.load)).toBe('after the edit');
    // and a load that fails is not remembered: the next request tries again
    await expect(dir.cached('user:u3', 5_000, () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await dir.cached('user:u3', 5_000, async () => 'back')).toBe('back');
  });
});
