/** Engine side of avatar.create / avatar.regenerate: portrait bytes -> stored-ready avatar buffers. */
import { splatsToBytes } from '../../../shared/splats/splat-bytes.ts';
import type { GenerateAvatarArgs, GenerateAvatarResult } from '../engine-api.ts';
import type { ModelPack } from '../models/model-pack.ts';
import { importPortrait } from '../portrait/import-portrait.ts';
import { smoothToSourceFootprint } from './footprint-filter.ts';
import { runStaticGenerator } from './static-generator.ts';
import { encodeTensors } from './tensor-pack.ts';

const DEG = 180 / Math.PI;

export async function generateAvatar(pack: ModelPack, args: GenerateAvatarArgs, signal: AbortSignal): Promise<GenerateAvatarResult> {
  const t0 = performance.now();
  const portrait = await importPortrait(args.bytes, args.name, { resolution: pack.json.input.resolution, cropOverride: args.crop, faceIndex: args.faceIndex, signal });
  const t1 = performance.now();
  if (portrait.status !== 'ok') return { status: portrait.status, message: portrait.message };
  const input = portrait.modelInput;
  const avatar = await runStaticGenerator(pack, input);
  const t2 = performance.now();
  const version = (pack.json as { created?: string }).created ?? String(pack.json.version);
  return {
    status: 'ok',
    modelName: pack.json.name,
    modelVersion: `${pack.json.version}:${version}`,
    crop: portrait.crop,
    autoCrop: portrait.autoCrop,
    faceIndex: portrait.faceIndex,
    faceCount: portrait.faces.length,
    camera: {
      view: portrait.camera.view,
      camToWorld: [...input.camToWorld],
      intrinsics: [...input.intrinsics],
      resolution: input.resolution,
      yawDeg: portrait.camera.yaw * DEG,
      pitchDeg: portrait.camera.pitch * DEG,
      rollDeg: portrait.camera.roll * DEG,
    },
    camToWorld: input.camToWorld,
    warnings: portrait.warnings.map((w) => w.message),
    cropPng: input.cropPng,
    numSplats: pack.json.num_splats,
    splats: splatsToBytes(smoothToSourceFootprint(avatar.splats, portrait.camera.view, input.intrinsics[0]!)),
    background: new Uint8Array(avatar.background.buffer.slice(avatar.background.byteOffset, avatar.background.byteOffset + avatar.background.byteLength)),
    features: encodeTensors(avatar.features),
    timings: { faceMs: t1 - t0, generatorMs: t2 - t1 },
  };
}
