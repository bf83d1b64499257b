/** How a clip's bake reads on the timeline: a short label and how full its progress bar is. */
import type { BakeStatus } from '../../../shared/api/engine-types.ts';

export interface BakeProgressView {
  label: string;
  /** 0..1. */
  fraction: number;
  /** A failure the creator can retry. */
  failed: boolean;
}

/** `status` is undefined until the back end has planned the clip's bake. */
export function bakeProgressView(status: BakeStatus | undefined): BakeProgressView {
  if (!status) return { label: 'Waiting', fraction: 0, failed: false };
  switch (status.state) {
    case 'done':
      return { label: 'Baked', fraction: 1, failed: false };
    case 'baking': {
      const fraction = status.total > 0 ? Math.min(1, status.done / status.total) : 0;
      return { label: `Baking ${Math.floor(fraction * 100)}%`, fraction, failed: false };
    }
    case 'failed':
      return { label: status.error ?? 'Baking failed.', fraction: 0, failed: true };
    case 'no-avatar':
      return { label: 'Needs an avatar', fraction: 0, failed: false };
    case 'waiting':
      return { label: 'Waiting', fraction: 0, failed: false };
  }
}
