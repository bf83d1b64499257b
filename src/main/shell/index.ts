/** Electron main entry (out/main/index.js). Everything else lives in the modules beside it. */
import { createStudio } from '../api/studio.ts';
import { resolveEngineEntry } from '../engine/process/engine-entry-path.ts';
import { startShell } from './app-lifecycle.ts';
import { spawnUtilityEngine } from './engine-utility-process.ts';

// The engine runs in an Electron utility process: a native crash or out-of-memory there cannot take the window down.
startShell({ createStudio: (options) => createStudio({ ...options, spawnEngine: () => spawnUtilityEngine(resolveEngineEntry()) }) });
