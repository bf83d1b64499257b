/**
 * The studio's side of a video export (issue 7): starts one with export.start, follows
 * 'export.progress', cancels, and keeps the project's export history. It lives with the studio
 * frame, not the dialog, so an export keeps reporting (and its toast still comes) after the
 * dialog is closed. A finished export is a success toast with its path; a failure is kept as a
 * readable error for the dialog, and becomes an error toast only when the dialog is not showing.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportProgress, ExportRecord, ExportResult } from '../../../shared/api/contract.ts';
import type { ExportForm, ExportRequest } from '../components/export/export-form.ts';
import { formatSeconds } from '../components/export/export-estimate.ts';
import { errorMessage, isCancelled } from '../state/errors.ts';
import { useStudio } from '../state/studio-context.ts';

export interface ExportState {
  /** The running or last export's latest progress; null before the first. */
  progress: ExportProgress | null;
  running: boolean;
  /** Why the last export failed, until the next starts. */
  error: string | null;
  /** Newest first; empty until loaded. */
  history: readonly ExportRecord[];
  /** The dialog's form as last left, so reopening it finds the same choices. */
  lastForm: ExportForm | null;
  rememberForm(form: ExportForm): void;
  start(outputPath: string, request: ExportRequest): Promise<ExportResult | null>;
  cancel(): void;
  refreshHistory(): void;
}

const ENDED: ReadonlySet<ExportProgress['state']> = new Set(['done', 'failed', 'cancelled']);

export function useExport(projectPath: string, isDialogOpen: () => boolean): ExportState {
  const { client, toasts } = useStudio();
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<readonly ExportRecord[]>([]);
  const [lastForm, setLastForm] = useState<ExportForm | null>(null);
  /** The call in flight: aborting it cancels the export before its id is known. */
  const call = useRef<AbortController | null>(null);
  const latestId = useRef<number | null>(null);
  const dialogOpen = useRef(isDialogOpen);
  useEffect(() => {
    dialogOpen.current = isDialogOpen;
  });

  const refreshHistory = useCallback((): void => {
    client.call('export.history', {}).then(
      (list) => setHistory(list),
      // No project (closing) or no link: the list stays as it was; the banner says why.
      () => undefined,
    );
  }, [client]);

  useEffect(() => {
    // The history belongs to the open project.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setHistory([]);
    refreshHistory();
  }, [projectPath, refreshHistory]);

  useEffect(
    () =>
      client.on('export.progress', (p) => {
        latestId.current = p.id;
        setProgress(p);
        if (ENDED.has(p.state)) refreshHistory();
      }),
    [client, refreshHistory],
  );

  const start = useCallback(
    async (outputPath: string, request: ExportRequest): Promise<ExportResult | null> => {
      const controller = new AbortController();
      call.current = controller;
      latestId.current = null;
      setRunning(true);
      setError(null);
      setProgress(null);
      refreshHistory();
      try {
        const result = await client.call('export.start', { ...request, outputPath }, { signal: controller.signal });
        toasts.show('success', 'Export finished', `${result.outputPath} · ${formatSeconds(result.durationS)} in ${formatSeconds(result.wallS)}`);
        return result;
      } catch (err) {
        if (!isCancelled(err) && !controller.signal.aborted) {
          const message = errorMessage(err);
          setError(message);
          if (!dialogOpen.current()) toasts.show('error', 'Export failed', message);
        }
        return null;
      } finally {
        if (call.current === controller) call.current = null;
        setRunning(false);
        refreshHistory();
      }
    },
    [client, toasts, refreshHistory],
  );

  const cancel = useCallback((): void => {
    const id = latestId.current;
    if (id !== null) {
      client.call('export.cancel', { id }).catch((err: unknown) => toasts.show('error', 'Could not cancel the export', errorMessage(err)));
    } else {
      call.current?.abort();
    }
  }, [client, toasts]);

  return { progress, running, error, history, lastForm, rememberForm: setLastForm, start, cancel, refreshHistory };
}
