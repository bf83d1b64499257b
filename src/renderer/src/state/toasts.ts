/**
 * The notification area's state: a small store the UI subscribes to (useSyncExternalStore).
 * Progress toasts stay until updated; successes fade after a few seconds; errors stay until
 * the user dismisses them, because they say what went wrong with which file.
 */
export type ToastKind = 'progress' | 'success' | 'info' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  /** Usually the file or action concerned, shown in bold. */
  title: string;
  message: string;
}

/** Milliseconds a success or info toast stays up. */
const AUTO_DISMISS_MS = 5000;
/** Oldest toasts beyond this many are dropped, so a big drop cannot fill the screen. */
const MAX_TOASTS = 8;

export class ToastStore {
  private toasts: readonly Toast[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private nextId = 1;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): readonly Toast[] => this.toasts;

  show(kind: ToastKind, title: string, message: string): number {
    const id = this.nextId++;
    let next = [...this.toasts, { id, kind, title, message }];
    if (next.length > MAX_TOASTS) {
      // Drop the oldest finished ones first; never drop a running progress toast.
      const removable = next.filter((t) => t.kind !== 'progress').slice(0, next.length - MAX_TOASTS);
      for (const t of removable) this.clearTimer(t.id);
      next = next.filter((t) => !removable.includes(t));
    }
    this.set(next);
    this.schedule(id, kind);
    return id;
  }

  update(id: number, kind: ToastKind, message: string, title?: string): void {
    if (!this.toasts.some((t) => t.id === id)) {
      this.show(kind, title ?? '', message);
      return;
    }
    this.set(this.toasts.map((t) => (t.id === id ? { ...t, kind, message, title: title ?? t.title } : t)));
    this.schedule(id, kind);
  }

  dismiss(id: number): void {
    this.clearTimer(id);
    this.set(this.toasts.filter((t) => t.id !== id));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }

  private schedule(id: number, kind: ToastKind): void {
    this.clearTimer(id);
    if (kind === 'success' || kind === 'info') {
      this.timers.set(
        id,
        setTimeout(() => this.dismiss(id), AUTO_DISMISS_MS),
      );
    }
  }

  private clearTimer(id: number): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(id);
  }

  private set(next: readonly Toast[]): void {
    this.toasts = next;
    for (const listener of [...this.listeners]) listener();
  }
}
