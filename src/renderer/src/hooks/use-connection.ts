import { useSyncExternalStore } from 'react';
import type { ConnectionState } from '../api/connection.ts';
import { useStudio } from '../state/studio-context.ts';

/** The live state of the link to the studio; 'closed' is final. */
export function useConnectionState(): ConnectionState {
  const { client } = useStudio();
  return useSyncExternalStore(
    (onChange) => client.onConnection('state', onChange),
    () => client.state,
  );
}
