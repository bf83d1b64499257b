/** The export range check (issue 7): 0 <= startS < endS <= the project's length, with clear words. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/api/errors.ts';
import { checkExportRange, planFrames } from '../../src/main/export/frame-plan.ts';
import type { ProjectSnapshot } from '../../src/shared/project/types.ts';

// A project 4 s long: one camera key at 4 s is where its content ends.
const project = { media: [], clips: [], timeWarp: [], cameraKeys: [{ timeS: 4 }] } as unknown as Pick<ProjectSnapshot, 'media' | 'clips' | 'timeWarp' | 'cameraKeys'>;

function refusal(range: { startS: number; endS: number }): ApiError {
  try {
    checkExportRange(project, range);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(range)}`);
}

describe('checkExportRange', () => {
  it('accepts no range and ranges inside the project, up to its end', () => {
    expect(() => checkExportRange(project, undefined)).not.toThrow();
    expect(() => checkExportRange(project, { startS: 0, endS: 4 })).not.toThrow();
    expect(() => checkExportRange(project, { startS: 1, endS: 2 })).not.toThrow();
    expect(() => checkExportRange(project, { startS: 3.96, endS: 4.0004 })).not.toThrow();
  });

  it('refuses a range past the end, backwards, empty or negative, naming the numbers', () => {
    const past = refusal({ startS: 1, endS: 5 });
    expect(past.code).toBe('INVALID_INPUT');
    expect(past.message).toBe('The export range ends at 5 s, but the project ends at 4 s: choose an end of at most 4 s.');
    expect(refusal({ startS: 2, endS: 1 }).message).toMatch(/must end after it starts \(got 2 s to 1 s\)/);
    expect(refusal({ startS: 2, endS: 2 }).message).toMatch(/must end after it starts/);
    expect(refusal({ startS: -1, endS: 1 }).message).toMatch(/must start at 0 s or later/);
    expect(refusal({ startS: 0, endS: Number.NaN }).code).toBe('INVALID_INPUT');
  });

  it('a 1.0-2.0 s range at 25 fps is frames 25..49 of the timeline', () => {
    const plan = planFrames(project, { fps: 25, range: { startS: 1, endS: 2 } });
    expect(plan).toEqual({ startS: 1, fps: 25, frames: 25, durationS: 1 });
  });
});
