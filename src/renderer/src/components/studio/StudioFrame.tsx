/**
 * The studio with a project open: toolbar, media bin, preview, inspector and timeline, plus
 * importing through the file picker, drag and drop and the keyboard.
 */
import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { ProjectSnapshot } from '../../../../shared/project/types.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { useFileDrop } from '../../hooks/use-file-drop.ts';
import { useShortcuts } from '../../hooks/use-shortcuts.ts';
import { useStudio } from '../../state/studio-context.ts';
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

interface Props {
  snapshot: ProjectSnapshot;
  actions: StudioActions;
  /** Save As: a native dialog or the name dialog, chosen by the app. */
  onSaveAs: () => void;
  ref?: Ref<StudioFrameHandle>;
}

export function StudioFrame({ snapshot, actions, onSaveAs, ref }: Props) {
  const { info } = useStudio();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const selected = snapshot.media.find((m) => m.id === selectedId) ?? null;

  const importFiles = async (files: File[]): Promise<void> => {
    const items = await actions.importFiles(files);
    const last = items[items.length - 1];
    if (last) setSelectedId(last.id);
  };

  const openImport = (): void => {
    if (info.nativeDialogs) {
      void actions.importWithDialog().then((items) => {
        const last = items[items.length - 1];
        if (last) setSelectedId(last.id);
      });
    } else {
      fileInput.current?.click();
    }
  };
  useImperativeHandle(ref, () => ({ openImport }));

  const dragging = useFileDrop((files) => void importFiles(files));

  useShortcuts((action) => {
    if (action === 'undo') void actions.undo();
    else if (action === 'redo') void actions.redo();
    else if (action === 'import') openImport();
    else if (action === 'delete' && selected) void actions.removeMedia(selected);
  });

  return (
    <div className="studio" data-testid="studio">
      <Toolbar
        snapshot={snapshot}
        onRename={(name) => void actions.renameProject(name)}
        onImport={openImport}
        onUndo={() => void actions.undo()}
        onRedo={() => void actions.redo()}
        onSaveAs={onSaveAs}
        onClose={() => void actions.closeProject()}
      />
      <MediaBin
        media={snapshot.media}
        selectedId={selected?.id ?? null}
        onSelect={setSelectedId}
        onRename={(id, name) => void actions.renameMedia(id, name)}
        onRemove={(item) => void actions.removeMedia(item)}
        onImport={openImport}
      />
      <Preview snapshot={snapshot} selected={selected} onImport={openImport} />
      <Inspector snapshot={snapshot} selected={selected} actions={actions} />
      <Timeline snapshot={snapshot} onRemoveClip={(clipId, name) => void actions.removeClip(clipId, name)} />
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
    </div>
  );
}
