/**
 * Thumbnails as object URLs, shared by the media bin and the preview and keyed by content hash,
 * so one image is fetched once. Each user acquires and releases; the URL is revoked when the
 * last user lets go, so no blob outlives what shows it.
 */
import type { StudioClient } from '../../../shared/api/contract.ts';

interface Entry {
  refs: number;
  /** Resolves to the object URL, or null when the back end has no thumbnail for the item. */
  url: Promise<string | null>;
  controller: AbortController;
}

export class ThumbnailCache {
  private readonly client: StudioClient;
  private readonly entries = new Map<string, Entry>();

  constructor(client: StudioClient) {
    this.client = client;
  }

  /** The thumbnail of media `id` whose bytes hash to `sha256`; call `release` with the same key when done. */
  acquire(id: string, sha256: string): Promise<string | null> {
    let entry = this.entries.get(sha256);
    if (!entry) {
      const controller = new AbortController();
      const url = this.client
        .call('media.thumbnail', { id }, { signal: controller.signal })
        .then((thumb) => {
          if (!thumb) return null;
          // Copy into a fresh ArrayBuffer-backed array: the reply may be a view into a larger frame.
          const blob = new Blob([new Uint8Array(thumb.bytes)], { type: thumb.mime });
          const objectUrl = URL.createObjectURL(blob);
          if (controller.signal.aborted) {
            URL.revokeObjectURL(objectUrl);
            return null;
          }
          return objectUrl;
        });
      url.catch(() => undefined);
      entry = { refs: 0, url, controller };
      this.entries.set(sha256, entry);
    }
    entry.refs++;
    return entry.url;
  }

  release(sha256: string): void {
    const entry = this.entries.get(sha256);
    if (!entry) return;
    entry.refs--;
    if (entry.refs > 0) return;
    this.entries.delete(sha256);
    entry.controller.abort();
    void entry.url.then(
      (url) => {
        if (url) URL.revokeObjectURL(url);
      },
      () => undefined,
    );
  }
}
