/** What the feature handler groups of the studio (avatars, timeline, baking) share. */
import type { Emitter } from '../../shared/events/emitter.ts';
import type { StudioEvents } from '../../shared/api/contract.ts';
import type { ProjectSnapshot } from '../../shared/project/types.ts';
import type { EngineClient } from '../engine/engine-api.ts';
import type { ProjectStore } from '../project/project-store.ts';
import type { SerialQueue } from './serial-queue.ts';

export interface StudioContext {
  /** The open project, or a NO_PROJECT_OPEN error. */
  requireProject(): ProjectStore;
  /** Emits project.changed with a fresh snapshot and returns it. */
  publish(): ProjectSnapshot;
  /** Orders every project write. */
  queue: SerialQueue;
  events: Emitter<StudioEvents>;
  engine: EngineClient;
  /** Folder holding resources/ (model packs, audio front-end spec). */
  resourcesDir: string;
}
