/**
 * The top of the UI: start screen or studio frame, the dialogs both can open, the toast area
 * and the connection and engine banners. App menu commands ('menu.command') run the same actions as the
 * buttons.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MenuCommand } from '../../../shared/api/contract.ts';
import { useActions } from '../hooks/use-actions.ts';
import { useConnectionState } from '../hooks/use-connection.ts';
import { useProject } from '../hooks/use-project.ts';
import { errorMessage } from '../state/errors.ts';
import { useStudio } from '../state/studio-context.ts';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { EngineBanner } from './EngineBanner.tsx';
import { LibraryDialog } from './LibraryDialog.tsx';
import { NewProjectDialog } from './NewProjectDialog.tsx';
import { StartScreen } from './StartScreen.tsx';
import { StudioFrame, type StudioFrameHandle } from './studio/StudioFrame.tsx';
import { Toasts } from './Toasts.tsx';

type DialogState = 'none' | 'new' | 'library' | 'saveAs';

export function App() {
  const { client, info, toasts } = useStudio();
  const { loaded, snapshot, loadError, apply } = useProject();
  const actions = useActions(snapshot, apply);
  const connection = useConnectionState();
  const [dialog, setDialog] = useState<DialogState>('none');
  const frame = useRef<StudioFrameHandle>(null);

  // Save As: the native dialog in the desktop app, a name for a copy in the library in the browser.
  const startSaveAs = (): void => {
    if (info.nativeDialogs) void actions.saveProjectAs();
    else setDialog('saveAs');
  };

  const startOpen = async (): Promise<void> => {
    if (info.nativeDialogs) {
      try {
        await actions.openProjectWithDialog();
      } catch (error) {
        toasts.show('error', 'Open project', errorMessage(error));
      }
    } else {
      setDialog('library');
    }
  };

  // Menu commands arrive as events; a ref keeps the handler current without resubscribing.
  const onMenu = useRef<(command: MenuCommand) => void>(() => undefined);
  useLayoutEffect(() => {
    onMenu.current = (command) => {
    switch (command) {
      case 'project.new':
        setDialog('new');
        break;
      case 'project.open':
        void startOpen();
        break;
      case 'project.saveAs':
        if (snapshot) startSaveAs();
        break;
      case 'project.close':
        if (snapshot) void actions.closeProject();
        break;
      case 'media.import':
        frame.current?.openImport();
        break;
      case 'edit.undo':
        void actions.undo();
        break;
      case 'edit.redo':
        void actions.redo();
        break;
    }
    };
  });
  useEffect(() => client.on('menu.command', (command) => onMenu.current(command)), [client]);

  const projectName = snapshot?.name ?? null;
  useEffect(() => {
    document.title = projectName ? `${projectName} — ${info.name}` : info.name;
  }, [projectName, info.name]);

  let body;
  if (!loaded) body = <div className="splash" aria-busy="true" />;
  else if (snapshot) body = <StudioFrame ref={frame} snapshot={snapshot} actions={actions} onSaveAs={startSaveAs} />;
  else
    body = (
      <StartScreen
        loadError={loadError}
        onNew={() => setDialog('new')}
        onOpen={startOpen}
        onOpenPath={(path) => actions.openProject(path)}
      />
    );

  return (
    <div className={`app ${connection === 'closed' ? 'app-disconnected' : ''}`}>
      {connection === 'closed' && <ConnectionBanner />}
      <EngineBanner />
      {body}
      {dialog === 'new' && (
        <NewProjectDialog onCreate={(name) => actions.createProject(name)} onClose={() => setDialog('none')} />
      )}
      {dialog === 'saveAs' && snapshot && (
        <NewProjectDialog
          mode="saveAs"
          initialName={`${snapshot.name} copy`}
          onCreate={(name) => actions.saveProjectCopy(name)}
          onClose={() => setDialog('none')}
        />
      )}
      {dialog === 'library' && (
        <LibraryDialog onOpenPath={(path) => actions.openProject(path)} onClose={() => setDialog('none')} />
      )}
      <Toasts />
    </div>
  );
}
