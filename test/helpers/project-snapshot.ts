import type { ProjectSnapshot } from '../../src/shared/project/types.ts';

/** The snapshot of a project with nothing in it, with the given fields replaced. */
export function emptySnapshot(fields: Partial<ProjectSnapshot> = {}): ProjectSnapshot {
  return {
    path: '/p/empty.splatproj',
    name: 'Empty',
    schemaVersion: 1,
    media: [],
    tracks: [],
    clips: [],
    avatars: [],
    activeAvatarId: null,
    cameraKeys: [],
    timeWarp: [],
    view: null,
    history: { canUndo: false, canRedo: false, undoLabel: null, redoLabel: null },
    revision: 0,
    ...fields,
  };
}
