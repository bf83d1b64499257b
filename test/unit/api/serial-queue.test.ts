/** SerialQueue: one job at a time, in queue order; a failure does not stop the jobs behind it. */
import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../../src/main/api/serial-queue.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SerialQueue', () => {
  it('runs jobs one after another in the order queued, even when later ones are faster', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const job = (name: string, ms: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([queue.run(job('a', 30)), queue.run(job('b', 1)), queue.run(job('c', 10))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(maxRunning).toBe(1);
  });

  it('does not start a job before the one ahead has settled', async () => {
    const queue = new SerialQueue();
    let release!: () => void;
    const first = queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    let secondStarted = false;
    const second = queue.run(() => {
      secondStarted = true;
    });
    await tick(10);
    expect(secondStarted).toBe(false);
    release();
    await first;
    await second;
    expect(secondStarted).toBe(true);
  });

  it('rejects a failed job to its caller and still runs the next ones', async () => {
    const queue = new SerialQueue();
    const order: string[] = [];
    const failing = queue.run(async () => {
      order.push('fails');
      await tick(5);
      throw new Error('boom');
    });
    const throwingSync = queue.run(() => {
      order.push('throws');
      throw new Error('sync boom');
    });
    const next = queue.run(() => {
      order.push('next');
      return 42;
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(throwingSync).rejects.toThrow('sync boom');
    await expect(next).resolves.toBe(42);
    expect(order).toEqual(['fails', 'throws', 'next']);
  });

  it('accepts plain values as well as promises', async () => {
    const queue = new SerialQueue();
    await expect(queue.run(() => 'plain')).resolves.toBe('plain');
  });
});
