/**
 * Entry of the engine process (out/main/engine.js when built; this file from source): serves the
 * engine's methods to the main process over the transport it was started with (a Node child
 * process, or Electron's utilityProcess).
 */
import { createEngineHandlers } from './engine-handlers.ts';
import type { EngineMethods } from './engine-api.ts';
import { connectToParent } from './process/engine-transport.ts';
import { serveEngine } from './process/serve-engine.ts';

const threads = Number(process.env.SPLAT_STUDIO_ENGINE_THREADS ?? 0);
serveEngine<EngineMethods>(createEngineHandlers({ threads: Number.isFinite(threads) ? threads : 0 }), connectToParent());
