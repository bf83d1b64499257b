/**
 * The studio with a project open: toolbar, media bin, preview, inspector and timeline, with
 * resizable panels, the playback transport (audio is the clock), the selection, the view state
 * (restored on reopen), importing through the file picker, drag and drop and the keyboard.
 */
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { cameraAt, defaultCameraState, type CameraState } from '../../../../shared/camera/camera-path.ts';
import { keyFromState } from '../../../../shared/camera/camera-path.ts';
import type { MediaItem, ProjectSnapshot } from '../../../../shared/project/types.ts';
import { DEFAULT_VIEW_STATE } from '../../../../shared/project/types.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { useExport } from '../../hooks/use-export.ts';
import { useFileDrop } from '../../hooks/use-file-drop.ts';
import { useKeyHeld } from '../../hooks/use-key-held.ts';
import { useShortcuts } from '../../hooks/use-shortcuts.ts';
import { PCM_RATE } from '../../playback/pcm-plan.ts';
import { shuttleCommand, type ShuttleKey } from '../../playback/shuttle.ts';
import { Transport, TransportContext } from '../../playback/transport.ts';
import { FRAME_S, fitZoom, placeSegment, toFrame, zoomAt, type TimeScale } from '../../state/editor-geometry.ts';
import { clipAt, clipViews, contentEnd, mediaDurations } from '../../state/editor-model.ts';
import { NOTHING, pruneSelection, type Selection } from '../../state/editor-selection.ts';
import { PANEL_LIMITS } from '../../state/editor-view.ts';
import type { ShortcutAction } from '../../state/shortcuts.ts';
import { useStudio } from '../../state/studio-context.ts';
import { ExportDialog } from '../export/ExportDialog.tsx';
import { ShortcutsDialog } from '../timeline/ShortcutsDialog.tsx';
import { Splitter } from '../timeline/Splitter.tsx';
import { useEditorView } from '../timeline/use-editor-view.ts';
import { DropOverlay } from './DropOverlay.tsx';
import { Inspector } from './Inspector.tsx';
import { MediaBin } from './MediaBin.tsx';
import { Preview } from './Preview.tsx';
import { Timeline } from './Timeline.tsx';
import { Toolbar } from './Toolbar.tsx';
import '../../styles/studio.css';
import '../../styles/media.css';
import '../../styles/timeline.css';

export interface StudioFrameHandle {
  /** Opens the import picker (menu command, Ctrl+I). */
  openImport(): void;
}

/** What the preview can tell about its camera (SplatPreviewHandle); wired by the lead. */
export interface PreviewCameraSource {
  currentView(): CameraState;
}

interface Props {
  snapshot: ProjectSnapshot;
  actions: StudioActions;
  /** Save As: a native dialog or the name dialog, chosen by the app. */
  onSaveAs: () => void;
  ref?: Ref<StudioFrameHandle>;
}

/** Length of a freeze added at the playhead, seconds. */
const DEFAULT_FREEZE_S = 1;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function StudioFrame({ snapshot, actions, onSaveAs, ref }: Props) {
  const { info, client, toasts } = useStudio();
  // Kept with the project it belongs to: another project starts with nothing selected.
  const [picked, setPicked] = useState<{ path: string; selection: Selection }>({ path: snapshot.path, selection: NOTHING });
  const [snapping, setSnapping] = useState(true);
  const [loopRange, setLoopRange] = useState<{ startS: number; endS: number } | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [showExport, setShowExport] = useState(false);
  const showExportRef = useRef(showExport);
  useEffect(() => {
    showExportRef.current = showExport;
  }, [showExport]);
  const exporter = useExport(snapshot.path, () => showExportRef.current);
  const fileInput = useRef<HTMLInputElement>(null);
  /** Set by a lane just before the window's file drop: where imported audio should land. */
  const dropTarget = useRef<{ trackId: string; startS: number } | null>(null);
  /** The live preview's camera, when the preview offers one (SplatPreview's ref). */
  const previewCamera = useRef<PreviewCameraSource | null>(null);

  // The transport lives as long as the frame; created in an effect so StrictMode's re-run gets a live one.
  const [transport, setTransport] = useState<Transport | null>(null);
  useEffect(() => {
    const t = new Transport({
      fetchPcm: async (mediaId, startS, durationS) => {
        const reply = await client.call('media.pcm', { mediaId, startS, durationS, sampleRate: PCM_RATE });
        // A copy: the reply's bytes may sit at an offset that is not a multiple of 4.
        return new Float32Array(reply.bytes.slice().buffer);
      },
    });
    // The transport is an external object with a lifetime of its own (audio context, timers).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setTransport(t);
    return () => t.dispose();
  }, [client]);

  const [view, updateView] = useEditorView(snapshot, transport, (v) => void actions.saveView(v));
  const clips = useMemo(() => clipViews(snapshot), [snapshot]);
  const endS = useMemo(() => contentEnd(snapshot, clips), [snapshot, clips]);

  useEffect(() => {
    transport?.setProgram({
      clips: snapshot.clips,
      tracks: snapshot.tracks,
      mediaDurations: mediaDurations(snapshot),
      segments: snapshot.timeWarp,
      endS,
    });
  }, [transport, snapshot, endS]);

  const effectiveLoop = view.loop ? (loopRange ?? (endS > 0 ? { startS: 0, endS } : null)) : null;
  useEffect(() => {
    transport?.setLoop(effectiveLoop);
  }, [transport, effectiveLoop?.startS, effectiveLoop?.endS]); // eslint-disable-line react-hooks/exhaustive-deps

  // Items that undo or a delete took away leave the selection.
  const selection = useMemo(
    () =>
      picked.path !== snapshot.path
        ? NOTHING
        : pruneSelection(picked.selection, (kind, id) => {
            if (kind === 'media') return snapshot.media.some((m) => m.id === id);
            if (kind === 'clips') return snapshot.clips.some((c) => c.id === id);
            if (kind === 'keys') return snapshot.cameraKeys.some((k) => k.id === id);
            return snapshot.timeWarp.some((w) => w.id === id);
          }),
    [picked, snapshot],
  );
  const path = snapshot.path;
  const setSelection = useCallback((selection: Selection) => setPicked({ path, selection }), [path]);

  const selectedMedia: MediaItem | null = selection.kind === 'media' ? (snapshot.media.find((m) => m.id === selection.ids[0]) ?? null) : null;
  const selectMedia = (id: string | null): void => setSelection(id ? { kind: 'media', ids: [id] } : NOTHING);

  const getCurrentView = useCallback((): CameraState => {
    const fromPreview = previewCamera.current?.currentView();
    if (fromPreview) return fromPreview;
    const avatar = snapshot.avatars.find((a) => a.id === snapshot.activeAvatarId) ?? null;
    return cameraAt(snapshot.cameraKeys, transport?.getTimeS() ?? 0) ?? defaultCameraState(avatar?.camera ?? null);
  }, [snapshot, transport]);

  /** Audio imported by a drop on a lane lands there, one after another. */
  const placeDropped = async (items: readonly MediaItem[]): Promise<void> => {
    const target = dropTarget.current;
    dropTarget.current = null;
    if (!target) return;
    let at = target.startS;
    for (const item of items) {
      if (item.kind !== 'audio') continue;
      await actions.addClipAt(item, target.trackId, at);
      at += item.durationS ?? 0;
    }
  };

  const importFiles = async (files: File[]): Promise<void> => {
    const items = await actions.importFiles(files);
    await placeDropped(items);
    const last = items[items.length - 1];
    if (last) selectMedia(last.id);
  };

  const openImport = (): void => {
    if (info.nativeDialogs) {
      void actions.importWithDialog().then((items) => {
        const last = items[items.length - 1];
        if (last) selectMedia(last.id);
      });
    } else {
      fileInput.current?.click();
    }
  };
  useImperativeHandle(ref, () => ({ openImport }));

  const dragging = useFileDrop((files) => void importFiles(files));

  // ---- Edits at the playhead ----

  const playheadS = (): number => toFrame(transport?.getTimeS() ?? 0);

  const split = (): void => {
    const t = transport?.getTimeS() ?? 0;
    const chosen = selection.kind === 'clips' ? clips.filter((c) => selection.ids.includes(c.clip.id) && t > c.outStartS && t < c.outEndS) : [];
    const targets = chosen.length > 0 ? chosen : [clipAt(clips, t)].filter((c) => c !== undefined);
    if (targets.length === 0) {
      toasts.show('info', 'Split', 'Move the playhead over a clip to split it.');
      return;
    }
    for (const c of targets) {
      // The cut in the clip's own (animation) time: the playhead's output time mapped back.
      const atS = c.clip.startS + (t - c.outStartS) * (c.lengthS / Math.max(c.outEndS - c.outStartS, 1e-9));
      void actions.splitClip(c.clip.id, atS);
    }
  };

  const addKey = (): void => {
    try {
      void actions.addCameraKey(keyFromState(getCurrentView(), playheadS()));
    } catch (error) {
      toasts.show('error', 'Add camera key', error instanceof Error ? error.message : String(error));
    }
  };

  const addFreeze = (): void => {
    const place = placeSegment(snapshot.timeWarp, playheadS(), DEFAULT_FREEZE_S);
    if (!place) {
      toasts.show('info', 'Freeze', 'The playhead is inside a time-warp segment already.');
      return;
    }
    const under = clipAt(clips, place.startS);
    void actions.addTimeWarp({ ...place, rate: 0, audioMode: 'pause', clipId: under?.clip.id ?? null });
  };

  const deleteSelection = (): void => {
    if (selection.kind === 'media' && selectedMedia) void actions.removeMedia(selectedMedia);
    // Several selected items go in one edit, so one undo brings them all back.
    else if (selection.kind === 'clips') void actions.removeClips(clips.filter((v) => selection.ids.includes(v.clip.id)).map((c) => ({ id: c.clip.id, name: c.name })));
    else if (selection.kind === 'keys') void actions.removeCameraKeys(selection.ids);
    else if (selection.kind === 'segments') void actions.removeTimeWarps(selection.ids);
  };

  // ---- Timeline scale ----

  const scale: TimeScale = { pxPerS: view.pxPerS, scrollS: view.scrollS };
  const setScale = (s: TimeScale): void => updateView({ pxPerS: s.pxPerS, scrollS: Math.max(0, s.scrollS) });
  const laneWidth = (): number => document.querySelector('[data-testid="ruler"]')?.clientWidth ?? 800;
  const zoomBy = (factor: number): void => {
    const t = transport?.getTimeS() ?? 0;
    const x = clamp((t - scale.scrollS) * scale.pxPerS, 0, laneWidth());
    setScale(zoomAt(scale, factor, x));
  };
  const step = (deltaS: number): void => {
    if (!transport) return;
    transport.pause();
    transport.seek(Math.max(0, toFrame(transport.getTimeS() + deltaS)));
  };

  const kHeld = useKeyHeld('k');
  const shuttle = (key: ShuttleKey): void => {
    if (!transport) return;
    const command = shuttleCommand(transport.getRate(), key, kHeld.current);
    if (command.kind === 'step') step(command.frames * FRAME_S);
    else transport.shuttle(command.rate);
  };

  useShortcuts((action: ShortcutAction) => {
    const t = transport;
    switch (action) {
      case 'undo':
        return void actions.undo();
      case 'redo':
        return void actions.redo();
      case 'import':
        return openImport();
      case 'delete':
        return deleteSelection();
      case 'deselect':
        return setSelection(NOTHING);
      case 'play-pause':
        return t?.toggle();
      case 'shuttle-reverse':
        return shuttle('j');
      case 'shuttle-stop':
        return shuttle('k');
      case 'shuttle-forward':
        return shuttle('l');
      case 'frame-back':
        return step(-FRAME_S);
      case 'frame-forward':
        return step(FRAME_S);
      case 'second-back':
        return step(-1);
      case 'second-forward':
        return step(1);
      case 'home':
        return t?.seek(0);
      case 'end':
        return t?.seek(endS);
      case 'split':
        return split();
      case 'loop-in': {
        const at = playheadS();
        setLoopRange((r) => ({ startS: at, endS: r && r.endS > at + FRAME_S ? r.endS : Math.max(at + 1, endS) }));
        return updateView({ loop: true });
      }
      case 'loop-out': {
        const at = playheadS();
        setLoopRange((r) => ({ startS: r && r.startS < at - FRAME_S ? r.startS : 0, endS: Math.max(at, FRAME_S) }));
        return updateView({ loop: true });
      }
      case 'loop-toggle':
        return updateView((v) => ({ loop: !v.loop }));
      case 'zoom-in':
        return zoomBy(1.5);
      case 'zoom-out':
        return zoomBy(1 / 1.5);
      case 'zoom-fit':
        return setScale({ pxPerS: fitZoom(Math.max(endS, 1), laneWidth() - 16), scrollS: 0 });
      case 'add-key':
        return addKey();
      case 'add-freeze':
        return addFreeze();
      case 'show-shortcuts':
        return setShowShortcuts(true);
      case 'export':
        return setShowExport(true);
    }
  });

  // ---- Panels ----

  const panels = view.panels;
  const resize = (panel: keyof typeof PANEL_LIMITS, size: number): void =>
    updateView((v) => ({ panels: { ...v.panels, [panel]: Math.round(clamp(size, PANEL_LIMITS[panel].min, PANEL_LIMITS[panel].max)) } }));
  const reset = (panel: keyof typeof PANEL_LIMITS): void => updateView((v) => ({ panels: { ...v.panels, [panel]: DEFAULT_VIEW_STATE.panels[panel] } }));

  return (
    <TransportContext.Provider value={transport}>
    <div
      className="studio"
      data-testid="studio"
      style={{
        gridTemplateColumns: `${panels.mediaBin}px minmax(0, 1fr) ${panels.inspector}px`,
        gridTemplateRows: `48px minmax(0, 1fr) ${panels.timeline}px`,
      }}
    >
      <Toolbar
        snapshot={snapshot}
        onRename={(name) => void actions.renameProject(name)}
        onImport={openImport}
        onUndo={() => void actions.undo()}
        onRedo={() => void actions.redo()}
        onSaveAs={onSaveAs}
        onClose={() => void actions.closeProject()}
        previewMode={view.previewMode}
        onPreviewMode={(previewMode) => updateView({ previewMode })}
        safeFrameAspect={view.safeFrameAspect}
        onSafeFrameAspect={(safeFrameAspect) => updateView({ safeFrameAspect })}
        onExport={() => setShowExport(true)}
        exporting={exporter.running}
      />
      <MediaBin
        media={snapshot.media}
        selectedId={selectedMedia?.id ?? null}
        onSelect={selectMedia}
        onRename={(id, name) => void actions.renameMedia(id, name)}
        onRemove={(item) => void actions.removeMedia(item)}
        onImport={openImport}
      />
      <Preview
        snapshot={snapshot}
        selected={selectedMedia}
        onImport={openImport}
        viewProps={{
          mode: view.previewMode,
          safeFrameAspect: view.safeFrameAspect,
          selectedKeyIds: selection.kind === 'keys' ? selection.ids : [],
          onSelectKeys: (ids) => setSelection(ids.length > 0 ? { kind: 'keys', ids } : NOTHING),
          onMoveKey: (id, patch) => actions.updateCameraKeys('Move camera key', [{ id, key: patch }]),
          previewRef: previewCamera,
        }}
      />
      {transport && (
        <Inspector
          snapshot={snapshot}
          selection={selection}
          actions={actions}
          transport={transport}
          getCurrentView={getCurrentView}
          safeFrameAspect={view.safeFrameAspect}
          onSplit={split}
        />
      )}
      {transport && (
        <Timeline
          snapshot={snapshot}
          actions={actions}
          transport={transport}
          scale={scale}
          onScale={setScale}
          selection={selection}
          onSelect={setSelection}
          loopOn={view.loop}
          loopRange={effectiveLoop ?? loopRange}
          onToggleLoop={() => updateView((v) => ({ loop: !v.loop }))}
          snapping={snapping}
          onToggleSnapping={() => setSnapping((s) => !s)}
          onSplit={split}
          onAddKey={addKey}
          onAddFreeze={addFreeze}
          onShowShortcuts={() => setShowShortcuts(true)}
          onDropFilesAt={(trackId, startS) => {
            dropTarget.current = { trackId, startS };
          }}
        />
      )}
      <Splitter
        axis="x"
        direction={1}
        size={panels.mediaBin}
        onResize={(s) => resize('mediaBin', s)}
        onReset={() => reset('mediaBin')}
        label="Resize the media bin"
        className="bin"
        style={{ left: panels.mediaBin - 3, top: 48, bottom: panels.timeline }}
      />
      <Splitter
        axis="x"
        direction={-1}
        size={panels.inspector}
        onResize={(s) => resize('inspector', s)}
        onReset={() => reset('inspector')}
        label="Resize the inspector"
        className="inspector"
        style={{ right: panels.inspector - 2, top: 48, bottom: panels.timeline }}
      />
      <Splitter
        axis="y"
        direction={-1}
        size={panels.timeline}
        onResize={(s) => resize('timeline', s)}
        onReset={() => reset('timeline')}
        label="Resize the timeline"
        className="timeline"
        style={{ bottom: panels.timeline - 2, left: 0, right: 0 }}
      />
      <input
        ref={fileInput}
        type="file"
        multiple
        accept="image/*,audio/*,video/*"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          // Clear it so choosing the same file again still fires a change.
          e.currentTarget.value = '';
          if (files.length > 0) void importFiles(files);
        }}
      />
      {dragging && <DropOverlay />}
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      {showExport && (
        <ExportDialog
          snapshot={snapshot}
          exporter={exporter}
          safeFrameAspect={view.safeFrameAspect}
          marks={loopRange}
          onFrameAspect={(safeFrameAspect) => updateView({ safeFrameAspect })}
          onClose={() => setShowExport(false)}
        />
      )}
    </div>
    </TransportContext.Provider>
  );
}

