/**
 * Which project snapshot wins. Replies and 'project.changed' events can arrive in any order, and
 * every committed change raises `revision`, so within one project the higher revision is newer.
 * A snapshot of another project (a different path) always replaces the current one: opening a
 * project starts its own revision count.
 */
import type { ProjectSnapshot } from '../../../shared/project/types.ts';

export function reconcileSnapshot(
  current: ProjectSnapshot | null,
  incoming: ProjectSnapshot | null,
): ProjectSnapshot | null {
  if (incoming === null || current === null) return incoming;
  if (incoming.path !== current.path) return incoming;
  return incoming.revision < current.revision ? current : incoming;
}
