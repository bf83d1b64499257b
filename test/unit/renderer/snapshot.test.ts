import { describe, expect, it } from 'vitest';
import { reconcileSnapshot } from '../../../src/renderer/src/state/snapshot.ts';
import { emptySnapshot } from '../../helpers/project-snapshot.ts';

const snap = (path: string, revision: number) => emptySnapshot({ path, name: path, revision });

describe('reconcileSnapshot', () => {
  it('takes a newer revision of the same project', () => {
    const next = snap('/a', 5);
    expect(reconcileSnapshot(snap('/a', 4), next)).toBe(next);
  });
  it('drops an older revision of the same project', () => {
    const current = snap('/a', 5);
    expect(reconcileSnapshot(current, snap('/a', 4))).toBe(current);
  });
  it('takes an equal revision (the same state)', () => {
    const next = snap('/a', 5);
    expect(reconcileSnapshot(snap('/a', 5), next)).toBe(next);
  });
  it('takes any revision of another project: opening one starts its own count', () => {
    const next = snap('/b', 1);
    expect(reconcileSnapshot(snap('/a', 40), next)).toBe(next);
  });
  it('takes a close (null) and the first snapshot after none', () => {
    expect(reconcileSnapshot(snap('/a', 2), null)).toBeNull();
    const first = snap('/a', 0);
    expect(reconcileSnapshot(null, first)).toBe(first);
  });
});
