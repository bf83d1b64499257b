/**
 * The engine's own inference code (runStaticGenerator, DynamicDecoder) against the PyTorch
 * outputs each committed pack recorded at export (parity.json + parity.bin): the same numbers the
 * raw-session test checks, but through the code the studio runs, including the feature hand-off
 * from the static generator to the decoder and the splat/tensor blob codecs.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStaticGenerator } from '../../../src/main/engine/avatar/static-generator.ts';
import { decodeTensors, encodeTensors } from '../../../src/main/engine/avatar/tensor-pack.ts';
import { DynamicDecoder } from '../../../src/main/engine/bake/dynamic-decoder.ts';
import { loadModelPack, type ModelPack } from '../../../src/main/engine/models/model-pack.ts';
import { splatsFromBytes, splatsToBytes } from '../../../src/shared/splats/splat-bytes.ts';
import { MODELS_DIR, maxExcess, readParity, shippedPackNames, type Parity } from '../../helpers/parity.ts';

const packs = shippedPackNames('parity.json');

function expectClose(got: Float32Array, want: Float32Array, tol: Parity['tolerance'], what: string): void {
  expect(got.length, `${what} length`).toBe(want.length);
  expect(maxExcess(got, want, tol), `${what}: max excess over atol + rtol*|want|`).toBeLessThanOrEqual(0);
}

describe.each(packs)('engine inference on pack %s matches its parity vectors', (name) => {
  const dir = join(MODELS_DIR, name);
  const { parity, tensor } = readParity(dir);
  let pack: ModelPack | null = null;
  afterAll(async () => pack?.release());

  it('static generator: splats, background and decoder features; decoder: offsets', async () => {
    pack = await loadModelPack(dir, { threads: 2 });
    const s = parity.models.static_generator;
    const avatar = await runStaticGenerator(pack, {
      image: tensor(s.inputs.image!),
      camToWorld: tensor(s.inputs.cam_to_world!),
      intrinsics: tensor(s.inputs.intrinsics!),
    });
    // Through the project blob codecs, as the studio stores and reloads them.
    const splats = splatsFromBytes(splatsToBytes(avatar.splats));
    for (const key of ['means', 'scales', 'quats', 'opacities', 'colors'] as const) expectClose(splats[key], tensor(s.outputs[key]!), parity.tolerance, key);
    expectClose(avatar.background, tensor(s.outputs.background!), parity.tolerance, 'background');
    const features = decodeTensors(encodeTensors(avatar.features));
    const d = parity.models.dynamic_decoder;
    const featureNames = Object.keys(d.inputs).filter((k) => !['cam_to_world', 'audio', 'time_delta'].includes(k));
    expect(features.map((f) => f.name).sort()).toEqual(featureNames.sort());
    for (const f of features) expectClose(f.data, tensor(d.inputs[f.name]!), parity.tolerance, f.name);

    // The decoder's parity inputs were recorded from the same static run: feed them as stored.
    const decoder = new DynamicDecoder(pack, featureNames.map((n) => ({ name: n, shape: d.inputs[n]!.shape, data: tensor(d.inputs[n]!) })), tensor(d.inputs.cam_to_world!));
    const offsets = await decoder.run(tensor(d.inputs.audio!), tensor(d.inputs.time_delta!));
    expectClose(offsets, tensor(d.outputs.offsets!), parity.tolerance, 'offsets');
  });
});
