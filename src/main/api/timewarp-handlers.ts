/**
 * timewarp.* methods: bullet-time segments on the time-warp track (src/shared/timeline/time-warp.ts
 * gives their meaning). Each call is one undoable edit; segments never overlap, and an edit that
 * would make them is refused with the times involved.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api/errors.ts';
import { timeWarpSegmentInput, type StudioHandlers } from '../../shared/api/contract.ts';
import type { ProjectSnapshot, TimeWarpSegment, TimeWarpSegmentInput } from '../../shared/project/types.ts';
import { validateSegments } from '../../shared/timeline/time-warp.ts';
import { segmentRow } from '../project/timeline-rows.ts';
import { clipOf, definedFields } from './edit-checks.ts';
import type { StudioContext } from './studio-context.ts';

type TimewarpHandlers = Pick<StudioHandlers, 'timewarp.add' | 'timewarp.update' | 'timewarp.remove' | 'timewarp.removeSegments'>;

const span = (s: Pick<TimeWarpSegment, 'startS' | 'endS'>): string => `${s.startS.toFixed(2)}–${s.endS.toFixed(2)} s`;
const kind = (s: Pick<TimeWarpSegment, 'rate'>): string => (s.rate === 0 ? 'freeze' : 'slow motion');

/** Refuses a segment set with overlaps (or a tie to a clip that is gone). */
function check(snapshot: ProjectSnapshot, next: TimeWarpSegmentInput, others: readonly TimeWarpSegment[]): void {
  if (next.clipId !== null) clipOf(snapshot, next.clipId);
  const problem = validateSegments([...others, next]);
  if (problem) throw new ApiError('INVALID_INPUT', problem);
}

export function timewarpHandlers(ctx: StudioContext): TimewarpHandlers {
  const requireSegment = (snapshot: ProjectSnapshot, id: string): TimeWarpSegment => {
    const segment = snapshot.timeWarp.find((s) => s.id === id);
    if (!segment) throw new ApiError('NOT_FOUND', 'That time-warp segment is no longer on the time-warp track.', { segmentId: id });
    return segment;
  };

  /** Removes segments as one edit; every id is checked before anything is written. */
  const removeSegments = (ids: readonly string[]) =>
    ctx.queue.run(() => {
      const store = ctx.requireProject();
      const snapshot = store.snapshot();
      const segments = [...new Set(ids)].map((id) => requireSegment(snapshot, id));
      const label = segments.length === 1 ? `Remove ${kind(segments[0]!)} at ${span(segments[0]!)}` : `Remove ${segments.length} time-warp segments`;
      store.edit(label, (m) => {
        for (const segment of segments) m.delete('timewarp_segments', segment.id);
      });
      return ctx.publish();
    });

  return {
    'timewarp.add': ({ segment }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        check(snapshot, segment, snapshot.timeWarp);
        store.edit(`Add ${kind(segment)} at ${span(segment)}`, (m) => m.insert('timewarp_segments', { id: randomUUID(), ...segmentRow(segment) }));
        return ctx.publish();
      }),

    'timewarp.update': ({ id, ...patch }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const { id: _id, ...current } = requireSegment(snapshot, id);
        const parsed = timeWarpSegmentInput.safeParse({ ...current, ...definedFields(patch) });
        if (!parsed.success) {
          throw new ApiError('INVALID_INPUT', `The time-warp segment at ${span(current)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, { segmentId: id });
        }
        check(snapshot, parsed.data, snapshot.timeWarp.filter((s) => s.id !== id));
        store.edit(`Edit ${kind(parsed.data)} at ${span(parsed.data)}`, (m) => m.update('timewarp_segments', id, segmentRow(parsed.data)));
        return ctx.publish();
      }),

    'timewarp.remove': ({ id }) => removeSegments([id]),

    'timewarp.removeSegments': ({ ids }) => removeSegments(ids),
  };
}
