/**
 * Avatar generation: the model pack's static generator on one portrait crop (DESIGN.md data
 * flow). Driven only by model.json: the graph's inputs are fed by their documented names
 * (image, cam_to_world, intrinsics), the five splat outputs and the background are read by name,
 * and every other output that the dynamic decoder takes as an input is kept as the avatar's
 * decoder features.
 */
import * as ort from 'onnxruntime-node';
import { ApiError } from '../../../shared/api/errors.ts';
import type { SplatBuffers } from '../../../shared/splats/types.ts';
import type { ModelPack } from '../models/model-pack.ts';
import type { NamedTensor } from './tensor-pack.ts';

/** What the static generator needs for one portrait (batch 1). */
export interface StaticGeneratorInput {
  /** [1, 3, R, R] RGB 0..1. */
  image: Float32Array;
  /** 16 floats, row-major camera-to-world (inverse of the source view). */
  camToWorld: Float32Array;
  /** fx, fy, cx, cy in pixels of the R x R input. */
  intrinsics: Float32Array;
}

export interface GeneratedAvatar {
  splats: SplatBuffers;
  /** [R, R, 3] RGB 0..1, the inpainted background. */
  background: Float32Array;
  resolution: number;
  /** Graph outputs the dynamic decoder takes as inputs (e.g. feat_16, feat_32), batch 1. */
  features: NamedTensor[];
}

const SPLAT_OUTPUTS = ['means', 'scales', 'quats', 'opacities', 'colors'] as const;

export async function runStaticGenerator(pack: ModelPack, input: StaticGeneratorInput): Promise<GeneratedAvatar> {
  const r = pack.json.input.resolution;
  if (input.image.length !== 3 * r * r) throw new ApiError('INVALID_INPUT', `The portrait input has ${input.image.length} values; this model pack needs 3 x ${r} x ${r}.`);
  const session = pack.sessions.static_generator;
  const results = await session.run({
    image: new ort.Tensor('float32', input.image, [1, 3, r, r]),
    cam_to_world: new ort.Tensor('float32', input.camToWorld, [1, 4, 4]),
    intrinsics: new ort.Tensor('float32', input.intrinsics, [1, 4]),
  });
  const n = pack.json.num_splats;
  const output = (name: string, floatsPerItem: number): Float32Array => {
    const tensor = results[name];
    if (!tensor) throw new ApiError('MODEL_PACK_INVALID', `The model pack's static generator has no output ${name}.`);
    const data = tensor.data as Float32Array;
    if (data.length !== floatsPerItem) throw new ApiError('MODEL_PACK_INVALID', `The static generator's ${name} has ${data.length} values; model.json implies ${floatsPerItem}.`);
    return data;
  };
  const splats = {
    means: output('means', n * 3),
    scales: output('scales', n * 3),
    quats: output('quats', n * 4),
    opacities: output('opacities', n),
    colors: output('colors', n * 3),
  };
  const background = output('background', r * r * 3);
  const decoderInputs = new Set(pack.json.models.dynamic_decoder.inputs.map((t) => t.name));
  const features = Object.entries(results)
    .filter(([name]) => decoderInputs.has(name) && !(SPLAT_OUTPUTS as readonly string[]).includes(name) && name !== 'background')
    .map(([name, tensor]) => ({ name, shape: [...tensor.dims], data: tensor.data as Float32Array }));
  return { splats, background, resolution: r, features };
}
