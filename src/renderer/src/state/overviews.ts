/**
 * Peak overviews of audio media (a few dozen bytes each), fetched once per content hash and kept
 * for the session.
 */
import type { StudioClient } from '../../../shared/api/contract.ts';

export class OverviewCache {
  private readonly client: StudioClient;
  private readonly entries = new Map<string, Promise<Uint8Array | null>>();

  constructor(client: StudioClient) {
    this.client = client;
  }

  get(id: string, sha256: string): Promise<Uint8Array | null> {
    let entry = this.entries.get(sha256);
    if (!entry) {
      entry = this.client.call('media.overview', { id }).then((reply) => (reply ? new Uint8Array(reply.peaks) : null));
      // A failed fetch is retried the next time something asks.
      entry.catch(() => this.entries.delete(sha256));
      this.entries.set(sha256, entry);
    }
    return entry;
  }
}
