/**
 * The engine's methods (engine-api.ts), as the engine process serves them. Model packs are loaded
 * once per folder and kept for the life of the process.
 */
import { ApiError } from '../../shared/api/errors.ts';
import { generateAvatar } from './avatar/generate-avatar.ts';
import { bakeClip, restOffsets } from './bake/bake-clip.ts';
import type { EngineMethods } from './engine-api.ts';
import { loadModelPack, type ModelPack } from './models/model-pack.ts';
import type { EngineHandlers } from './process/serve-engine.ts';

export interface EngineHandlerOptions {
  /** onnxruntime intra-op threads; 0 = one per core. */
  threads?: number;
}

export function createEngineHandlers(options: EngineHandlerOptions = {}): EngineHandlers<EngineMethods> {
  const packs = new Map<string, Promise<ModelPack>>();
  const pack = (dir: string): Promise<ModelPack> => {
    let loading = packs.get(dir);
    if (!loading) {
      loading = loadModelPack(dir, { threads: options.threads ?? 0 });
      // A pack that failed to load is tried again next time (it may have been fixed).
      loading.catch(() => packs.delete(dir));
      packs.set(dir, loading);
    }
    return loading;
  };
  let peakRss = 0;
  const sampleRss = () => {
    const rss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, rss);
    return rss;
  };

  return {
    'avatar.generate': async (args, task) => {
      const result = await generateAvatar(await pack(args.packDir), args, task.signal);
      sampleRss();
      return result;
    },
    'bake.clip': async (args, task) => {
      if (!(args.fps > 0)) throw new ApiError('INVALID_INPUT', `Baking needs a frame rate above 0; got ${args.fps}.`);
      return bakeClip(await pack(args.packDir), args, task.signal, (p) => {
        sampleRss();
        task.progress(p);
      });
    },
    'bake.rest': async (args) => restOffsets(await pack(args.packDir), args),
    'engine.memory': async () => ({ rss: sampleRss(), peakRss: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) }),
  };
}
