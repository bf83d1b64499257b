/**
 * The model pack's dynamic decoder on a batch of output frames (DESIGN.md data flow): the
 * avatar's decoder features and source camera, an audio window per frame and its time delta ->
 * per-splat offsets [frames, N, 3]. Inputs are fed by the names model.json gives; the audio
 * input's shape [frames, K, W, M] comes from model.json too.
 */
import * as ort from 'onnxruntime-node';
import { ApiError } from '../../../shared/api/errors.ts';
import type { NamedTensor } from '../avatar/tensor-pack.ts';
import type { ModelPack } from '../models/model-pack.ts';

export interface DecoderShape {
  /** Neighbouring video frames per output frame (K). */
  neighbours: number;
  /** Mel frames per window (W). */
  window: number;
  /** Mel bins (M). */
  melBins: number;
  numSplats: number;
}

/** K, W and M from the dynamic decoder's `audio` input in model.json. */
export function decoderShape(pack: ModelPack): DecoderShape {
  const audio = pack.json.models.dynamic_decoder.inputs.find((t) => t.name === 'audio');
  const [, k, w, m] = audio?.shape ?? [];
  if (typeof k !== 'number' || typeof w !== 'number' || typeof m !== 'number') {
    throw new ApiError('MODEL_PACK_INVALID', `The model pack in ${pack.dir} does not give the dynamic decoder's audio input as [frames, K, W, M] numbers.`);
  }
  return { neighbours: k, window: w, melBins: m, numSplats: pack.json.num_splats };
}

export class DynamicDecoder {
  private readonly pack: ModelPack;
  private readonly fixed: Record<string, ort.Tensor>;
  readonly shape: DecoderShape;

  constructor(pack: ModelPack, features: readonly NamedTensor[], camToWorld: Float32Array) {
    this.pack = pack;
    this.shape = decoderShape(pack);
    this.fixed = { cam_to_world: new ort.Tensor('float32', camToWorld, [1, 4, 4]) };
    for (const f of features) this.fixed[f.name] = new ort.Tensor('float32', f.data, f.shape);
    const missing = pack.json.models.dynamic_decoder.inputs
      .map((t) => t.name)
      .filter((name) => name !== 'audio' && name !== 'time_delta' && !(name in this.fixed));
    if (missing.length > 0) {
      throw new ApiError('MODEL_PACK_INVALID', `The avatar lacks the decoder inputs ${missing.join(', ')} of this model pack; regenerate the avatar with it.`);
    }
  }

  /** audio: [frames, K, W, M]; timeDelta: [frames] seconds -> offsets [frames, N, 3]. */
  async run(audio: Float32Array, timeDelta: Float32Array): Promise<Float32Array> {
    const { neighbours, window, melBins, numSplats } = this.shape;
    const frames = timeDelta.length;
    if (audio.length !== frames * neighbours * window * melBins) {
      throw new RangeError(`DynamicDecoder.run: audio has ${audio.length} floats, want ${frames} x ${neighbours} x ${window} x ${melBins}`);
    }
    const results = await this.pack.sessions.dynamic_decoder.run({
      ...this.fixed,
      audio: new ort.Tensor('float32', audio, [frames, neighbours, window, melBins]),
      time_delta: new ort.Tensor('float32', timeDelta, [frames]),
    });
    const offsets = results.offsets?.data as Float32Array | undefined;
    if (!offsets || offsets.length !== frames * numSplats * 3) {
      throw new ApiError('MODEL_PACK_INVALID', `The dynamic decoder returned ${offsets?.length ?? 0} offset values; want ${frames} x ${numSplats} x 3.`);
    }
    return offsets;
  }
}
