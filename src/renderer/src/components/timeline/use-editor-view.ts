/**
 * The studio's view state for the open project: restored from `snapshot.view` when a project
 * opens, saved with `project.saveView` after changes settle (ViewSaver), the playhead included
 * whenever the transport stops or seeks.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ProjectSnapshot, ViewState } from '../../../../shared/project/types.ts';
import type { Transport } from '../../playback/transport.ts';
import { ViewSaver, restoreView } from '../../state/editor-view.ts';

export function useEditorView(
  snapshot: ProjectSnapshot,
  transport: Transport | null,
  save: (view: ViewState) => void,
): [ViewState, (patch: Partial<ViewState> | ((v: ViewState) => Partial<ViewState>)) => void] {
  const [view, setView] = useState<ViewState>(() => restoreView(snapshot.view));
  const saver = useRef<ViewSaver | null>(null);
  const saveRef = useRef(save);
  const initial = useRef(snapshot.view);
  useLayoutEffect(() => {
    saveRef.current = save;
    initial.current = snapshot.view;
  });
  const path = snapshot.path;

  // A newly opened project (or this one first seen): take its stored view.
  useEffect(() => {
    const restored = restoreView(initial.current);
    setView(restored);
    const s = new ViewSaver((v) => saveRef.current(v), initial.current ? restored : null);
    saver.current = s;
    return () => {
      s.flush();
      s.dispose();
      if (saver.current === s) saver.current = null;
    };
  }, [path]);

  // The transport starts where the view left the playhead.
  useEffect(() => {
    if (transport) transport.seek(restoreView(initial.current).playheadS);
  }, [transport, path]);

  // The playhead is part of the view whenever it comes to rest.
  useEffect(() => {
    if (!transport) return;
    return transport.on('change', () => {
      if (transport.isPlaying()) return;
      const playheadS = transport.getTimeS();
      setView((v) => (v.playheadS === playheadS ? v : { ...v, playheadS }));
    });
  }, [transport]);

  useEffect(() => {
    saver.current?.update(view);
  }, [view]);

  const update = useCallback((patch: Partial<ViewState> | ((v: ViewState) => Partial<ViewState>)) => {
    setView((v) => ({ ...v, ...(typeof patch === 'function' ? patch(v) : patch) }));
  }, []);
  return [view, update];
}
