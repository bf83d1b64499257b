/**
 * Every user action of the studio, in one place, so buttons, shortcuts and the app menu
 * ('menu.command') run the same code. Studio actions report failures as toasts; the start
 * screen's actions (create, open) and avatar generation throw, so the form or the inspector
 * shows the error next to what caused it.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { ApiInput } from '../../../shared/api/contract.ts';
import type { Avatar, CameraKeyframeInput, MediaItem, ProjectSnapshot, TimeWarpSegmentInput, ViewState } from '../../../shared/project/types.ts';
import { formatBytes, importName } from '../format/format.ts';
import { errorMessage } from '../state/errors.ts';
import { saveBytes } from '../state/save-bytes.ts';
import { MAX_MEDIA_BYTES } from '../../../shared/api/limits.ts';
import { useStudio } from '../state/studio-context.ts';

export interface StudioActions {
  createProject(name: string): Promise<void>;
  openProject(path: string): Promise<void>;
  /** Electron only: the native open dialog, then open. Resolves false when the user cancelled. */
  openProjectWithDialog(): Promise<boolean>;
  closeProject(): Promise<void>;
  /** Electron only: the native save dialog, then continue in the copy. */
  saveProjectAs(): Promise<void>;
  /** A copy in the project library under a new name; throws so the form can show the error. */
  saveProjectCopy(name: string): Promise<void>;
  renameProject(name: string): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Imports files one after another; resolves with the items that were imported or found. */
  importFiles(files: readonly File[]): Promise<MediaItem[]>;
  /** Electron only: the native import dialog and path-based import. */
  importWithDialog(): Promise<MediaItem[]>;
  renameMedia(id: string, name: string): Promise<void>;
  removeMedia(item: MediaItem): Promise<void>;
  /** Builds an avatar from a portrait and makes it the active one; throws (no face, ...) so the inspector can say why. */
  createAvatar(portrait: MediaItem): Promise<void>;
  /** Builds the avatar again from its portrait (a newer model pack, a fresh crop); throws like createAvatar. */
  regenerateAvatar(avatar: Avatar): Promise<void>;
  /** Downloads the avatar as a standard 3DGS PLY file. */
  exportAvatarPly(avatar: Avatar): Promise<void>;
  /** Places an audio item at the end of the first audio track. */
  addToTimeline(item: MediaItem): Promise<void>;
  removeClip(clipId: string, name: string): Promise<void>;
  /** Removes several clips (a multi-selection) as one undoable edit. */
  removeClips(clips: readonly { id: string; name: string }[]): Promise<void>;
  /** Makes a clip play other audio from the bin, keeping its place and length; one undoable edit. */
  replaceClipMedia(clipId: string, media: Pick<MediaItem, 'id' | 'name'>): Promise<void>;
  /** Places an audio item on a track at a timeline time (a drop on the lane). */
  addClipAt(item: Pick<MediaItem, 'id' | 'name'>, trackId: string, startS: number): Promise<void>;
  /** Moves, trims or re-gains clips as one undoable edit (one drag, one slider release). */
  updateClips(label: string, changes: ApiInput<'timeline.updateClips'>['changes']): Promise<void>;
  splitClip(clipId: string, atS: number): Promise<void>;
  updateTrack(trackId: string, patch: { muted?: boolean; solo?: boolean; gain?: number }): Promise<void>;
  addCameraKey(key: CameraKeyframeInput): Promise<void>;
  updateCameraKeys(label: string, changes: ApiInput<'camera.updateKeys'>['changes']): Promise<void>;
  removeCameraKeys(ids: readonly string[]): Promise<void>;
  /** Writes many keys as one edit: a preset or an imported camera_path.json. */
  setCameraPath(label: string, keys: CameraKeyframeInput[], replace: boolean): Promise<void>;
  addTimeWarp(segment: TimeWarpSegmentInput): Promise<void>;
  updateTimeWarp(id: string, patch: Omit<ApiInput<'timewarp.update'>, 'id'>): Promise<void>;
  removeTimeWarp(id: string): Promise<void>;
  /** Removes several time-warp segments (a multi-selection) as one undoable edit. */
  removeTimeWarps(ids: readonly string[]): Promise<void>;
  /** Remembers how the studio looks at the project; not an edit. Failures are quiet (it is saved again on the next change). */
  saveView(view: ViewState): Promise<void>;
}

export function useActions(snapshot: ProjectSnapshot | null, apply: (s: ProjectSnapshot | null) => void): StudioActions {
  const { client, toasts, avatarCrops } = useStudio();
  // Imports run in order, one at a time: bounded memory, and the bin fills in the order chosen.
  const importChain = useRef<Promise<unknown>>(Promise.resolve());
  // Actions read the latest snapshot without being rebuilt on every change.
  const snapshotRef = useRef(snapshot);
  useLayoutEffect(() => {
    snapshotRef.current = snapshot;
  }, [snapshot]);

  return useMemo<StudioActions>(() => {
    const report = (title: string, error: unknown): void => {
      toasts.show('error', title, errorMessage(error));
    };
    /** Runs an edit; its snapshot becomes the UI's, a failure becomes a toast. */
    const applyOrReport = async (title: string, edit: () => Promise<ProjectSnapshot>): Promise<void> => {
      try {
        apply(await edit());
      } catch (error) {
        report(title, error);
      }
    };
    const enqueue = <T,>(job: () => Promise<T>): Promise<T> => {
      const run = importChain.current.then(job, job);
      importChain.current = run.catch(() => undefined);
      return run;
    };

    /** One queued import under its toast: the result's snapshot becomes the UI's, a failure the toast's error. */
    const importUnder = (toast: number, run: () => Promise<{ snapshot: ProjectSnapshot; item: MediaItem; deduplicated: boolean }>): Promise<MediaItem | null> =>
      enqueue(async () => {
        try {
          const result = await run();
          apply(result.snapshot);
          toasts.update(toast, result.deduplicated ? 'info' : 'success', result.deduplicated ? 'Already in the project' : 'Imported');
          return result.item;
        } catch (error) {
          toasts.update(toast, 'error', errorMessage(error));
          return null;
        }
      });

    const importOne = async (file: File): Promise<MediaItem | null> => {
      const toast = toasts.show('progress', file.name, 'Waiting…');
      return importUnder(toast, async () => {
        if (file.size === 0) throw new Error('The file is empty.');
        if (file.size > MAX_MEDIA_BYTES) {
          throw new Error(`Too large (${formatBytes(file.size)}); the studio accepts up to ${formatBytes(MAX_MEDIA_BYTES)}.`);
        }
        toasts.update(toast, 'progress', 'Importing…');
        const bytes = new Uint8Array(await file.arrayBuffer());
        return client.call('media.import', { name: importName(file.name), bytes });
      });
    };

    return {
      async createProject(name) {
        apply(await client.call('project.create', { name }));
      },
      async openProject(path) {
        apply(await client.call('project.open', { path }));
      },
      async openProjectWithDialog() {
        const path = await client.call('dialog.openProject', {});
        if (path === null) return false;
        apply(await client.call('project.open', { path }));
        return true;
      },
      async closeProject() {
        try {
          await client.call('project.close', {});
          apply(null);
        } catch (error) {
          report('Could not close the project', error);
        }
      },
      async saveProjectAs() {
        const current = snapshotRef.current;
        if (!current) return;
        try {
          const path = await client.call('dialog.saveProjectAs', { suggestedName: current.name });
          if (path === null) return;
          apply(await client.call('project.saveAs', { path }));
          toasts.show('success', current.name, 'Saved as a new project file');
        } catch (error) {
          report('Could not save a copy', error);
        }
      },
      async saveProjectCopy(name) {
        apply(await client.call('project.saveAs', { name }));
        toasts.show('success', name, 'Saved as a new project in the library');
      },
      renameProject: (name) => applyOrReport('Could not rename the project', () => client.call('project.rename', { name })),
      async undo() {
        if (snapshotRef.current?.history.canUndo) await applyOrReport('Could not undo', () => client.call('history.undo', {}));
      },
      async redo() {
        if (snapshotRef.current?.history.canRedo) await applyOrReport('Could not redo', () => client.call('history.redo', {}));
      },
      async importFiles(files) {
        const results = await Promise.all(files.map((f) => importOne(f)));
        return results.filter((item): item is MediaItem => item !== null);
      },
      async importWithDialog() {
        let paths: string[];
        try {
          paths = await client.call('dialog.importMedia', {});
        } catch (error) {
          report('Could not import', error);
          return [];
        }
        const items: MediaItem[] = [];
        for (const path of paths) {
          const label = path.split(/[\\/]/).pop() ?? path;
          const toast = toasts.show('progress', label, 'Importing…');
          const item = await importUnder(toast, () => client.call('media.importFile', { path }));
          if (item) items.push(item);
        }
        return items;
      },
      renameMedia: (id, name) => applyOrReport('Could not rename', () => client.call('media.rename', { id, name })),
      removeMedia: (item) => applyOrReport(`Could not remove ${item.name}`, () => client.call('media.remove', { id: item.id })),
      async createAvatar(portrait) {
        const result = await client.call('avatar.create', { portraitMediaId: portrait.id });
        avatarCrops.put(result.avatar, result.cropPng);
        apply(result.snapshot);
      },
      async regenerateAvatar(avatar) {
        const result = await client.call('avatar.regenerate', { avatarId: avatar.id });
        avatarCrops.put(result.avatar, result.cropPng);
        apply(result.snapshot);
      },
      async exportAvatarPly(avatar) {
        try {
          const { fileName, bytes } = await client.call('avatar.exportPly', { avatarId: avatar.id });
          saveBytes(fileName, bytes, 'application/octet-stream');
        } catch (error) {
          report(`Could not export ${avatar.name}`, error);
        }
      },
      addToTimeline: (item) => applyOrReport(`Could not add ${item.name} to the timeline`, () => client.call('timeline.addClip', { mediaId: item.id })),
      removeClip: (clipId, name) => applyOrReport(`Could not remove ${name} from the timeline`, () => client.call('timeline.removeClip', { clipId })),
      async removeClips(clips) {
        if (clips.length === 0) return;
        const title = clips.length === 1 ? `Could not remove ${clips[0]!.name} from the timeline` : `Could not remove ${clips.length} clips from the timeline`;
        await applyOrReport(title, () => client.call('timeline.removeClips', { clipIds: clips.map((c) => c.id) }));
      },
      replaceClipMedia: (clipId, media) => applyOrReport(`Could not replace the audio with ${media.name}`, () => client.call('timeline.replaceMedia', { clipId, mediaId: media.id })),
      addClipAt: (item, trackId, startS) =>
        applyOrReport(`Could not add ${item.name} to the timeline`, () => client.call('timeline.addClip', { mediaId: item.id, trackId, startS: Math.max(0, startS) })),
      updateClips: (label, changes) => applyOrReport(`Could not ${label.toLowerCase()}`, () => client.call('timeline.updateClips', { label, changes })),
      splitClip: (clipId, atS) => applyOrReport('Could not split the clip', () => client.call('timeline.splitClip', { clipId, atS })),
      updateTrack: (trackId, patch) => applyOrReport('Could not change the track', () => client.call('timeline.updateTrack', { trackId, ...patch })),
      addCameraKey: (key) => applyOrReport('Could not add a camera key', () => client.call('camera.addKey', { key })),
      updateCameraKeys: (label, changes) => applyOrReport(`Could not ${label.toLowerCase()}`, () => client.call('camera.updateKeys', { label, changes })),
      removeCameraKeys: (ids) => applyOrReport('Could not delete the camera keys', () => client.call('camera.removeKeys', { ids: [...ids] })),
      setCameraPath: (label, keys, replace) => applyOrReport(`Could not apply ${label.toLowerCase()}`, () => client.call('camera.setPath', { label, keys, replace })),
      addTimeWarp: (segment) => applyOrReport('Could not add the time-warp segment', () => client.call('timewarp.add', { segment })),
      updateTimeWarp: (id, patch) => applyOrReport('Could not change the time-warp segment', () => client.call('timewarp.update', { id, ...patch })),
      removeTimeWarp: (id) => applyOrReport('Could not delete the time-warp segment', () => client.call('timewarp.remove', { id })),
      async removeTimeWarps(ids) {
        if (ids.length === 0) return;
        await applyOrReport(ids.length === 1 ? 'Could not delete the time-warp segment' : 'Could not delete the time-warp segments', () =>
          client.call('timewarp.removeSegments', { ids: [...ids] }),
        );
      },
      async saveView(view) {
        await client.call('project.saveView', { view }).catch(() => undefined);
      },
    };
  }, [client, toasts, avatarCrops, apply]);
}
