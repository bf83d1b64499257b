/**
 * What the renderer knows about its link to the studio beyond the `StudioClient` contract:
 * whether it is still alive, so the UI can say so when it is not.
 */
import type { StudioClient } from '../../../shared/api/contract.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface ConnectionEvents {
  /** The link changed state; 'closed' is final. */
  state: ConnectionState;
}

export interface StudioConnection {
  readonly state: ConnectionState;
  onConnection<E extends keyof ConnectionEvents>(event: E, listener: (payload: ConnectionEvents[E]) => void): () => void;
  dispose(): void;
}

export type ConnectedStudio = StudioClient & StudioConnection;
