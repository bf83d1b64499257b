/**
 * The committed model packs through onnxruntime-node: each loads through model.json alone, and
 * reproduces the PyTorch outputs its export recorded (parity.json + parity.bin, written by
 * training/splatportrait/export.py). Broken packs are refused with a clear error.
 */
import { cpSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelPack, type GraphName, type ModelPack } from '../../../src/main/engine/models/model-pack.ts';
import { packFrontendSpec, packLevelRule } from '../../../src/main/engine/models/frontend-spec.ts';
import { MODELS_DIR, maxExcess, readParity, shippedPackNames } from '../../helpers/parity.ts';

const MODELS = MODELS_DIR;
const packs = shippedPackNames('model.json');

it('at least one model pack ships with the studio', () => {
  expect(packs.length).toBeGreaterThan(0);
});

describe.each(packs)('model pack %s', (name) => {
  const dir = join(MODELS, name);
  let pack: ModelPack | null = null;
  afterAll(async () => pack?.release());

  it('loads through model.json, every declared input and output present in its graphs', async () => {
    pack = await loadModelPack(dir, { threads: 2 });
    expect(pack.json.models.static_generator.outputs.map((t) => t.name)).toEqual(expect.arrayContaining(['means', 'scales', 'quats', 'opacities', 'colors', 'background']));
    expect(pack.json.num_splats).toBe(pack.json.input.resolution ** 2);
  });

  it('matches the PyTorch outputs recorded at export, within the recorded tolerance', async () => {
    pack ??= await loadModelPack(dir, { threads: 2 });
    const { parity, tensor } = readParity(dir);
    const { atol, rtol } = parity.tolerance;
    for (const graph of Object.keys(parity.models) as GraphName[]) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [input, ref] of Object.entries(parity.models[graph].inputs)) feeds[input] = new ort.Tensor('float32', tensor(ref), ref.shape);
      const results = await pack.sessions[graph].run(feeds);
      for (const [output, ref] of Object.entries(parity.models[graph].outputs)) {
        const got = results[output];
        expect(got?.dims, `${graph}.${output} shape`).toEqual(ref.shape);
        const want = tensor(ref);
        const data = got!.data as Float32Array;
        const worst = maxExcess(data, want, { atol, rtol });
        expect(worst, `${graph}.${output}: max excess over atol + rtol*|want|`).toBeLessThanOrEqual(0);
      }
    }
  });
});

describe.runIf(packs.length > 0)('a broken model pack', () => {
  const source = join(MODELS, packs[0] ?? '');
  const broken = (mutate: (dir: string) => void): string => {
    const dir = mkdtempSync(join(tmpdir(), 'sps-pack-'));
    cpSync(source, dir, { recursive: true });
    mutate(dir);
    return dir;
  };
  const editJson = (dir: string, edit: (json: Record<string, unknown>) => void): void => {
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    edit(json);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  };

  it('without model.json is refused', async () => {
    const dir = broken((d) => writeFileSync(join(d, 'model.json'), '{ not json'));
    await expect(loadModelPack(dir)).rejects.toMatchObject({ code: 'MODEL_PACK_INVALID', message: expect.stringMatching(/model\.json is not valid JSON/) });
  });

  it('from a newer format is refused, naming both versions', async () => {
    const dir = broken((d) => editJson(d, (j) => (j.version = 99)));
    await expect(loadModelPack(dir)).rejects.toMatchObject({ message: expect.stringMatching(/version 99.*up to version 1/) });
  });

  it('whose model.json names an input the graph does not have is refused, naming it', async () => {
    const dir = broken((d) =>
      editJson(d, (j) => {
        const models = j.models as Record<string, { inputs: Array<{ name: string }> }>;
        models.dynamic_decoder!.inputs[0]!.name = 'no_such_input';
      }),
    );
    await expect(loadModelPack(dir)).rejects.toMatchObject({ code: 'MODEL_PACK_INVALID', message: expect.stringMatching(/no_such_input/) });
  });

  it('whose audio front-end constants or speech-level rule disagree with the studio is refused when baking would use them', async () => {
    const hop = await loadModelPack(broken((d) => editJson(d, (j) => ((j.audio_frontend as Record<string, unknown>).hop = 320))));
    try {
      expect(() => packFrontendSpec(hop)).toThrow(expect.objectContaining({ code: 'MODEL_PACK_INVALID', message: expect.stringMatching(/audio_frontend\.hop = 320, but logmel-v1 uses 160/) }));
    } finally {
      await hop.release();
    }
    const rule = await loadModelPack(broken((d) => editJson(d, (j) => ((j.audio_frontend as Record<string, unknown>).level_normalise = { block_samples: 0 }))));
    try {
      expect(() => packLevelRule(rule)).toThrow(expect.objectContaining({ code: 'MODEL_PACK_INVALID', message: expect.stringMatching(/level_normalise\.block_samples must be a positive integer/) }));
    } finally {
      await rule.release();
    }
  });

  it('with a missing or truncated ONNX file is refused', async () => {
    const missing = broken((d) => truncateSync(join(d, 'dynamic_decoder.onnx'), 0));
    await expect(loadModelPack(missing)).rejects.toMatchObject({ message: expect.stringMatching(/dynamic_decoder\.onnx is not a readable ONNX model/) });
    const half = broken((d) => {
      const file = join(d, 'static_generator.onnx');
      truncateSync(file, Math.floor(readFileSync(file).length / 2));
    });
    await expect(loadModelPack(half)).rejects.toMatchObject({ code: 'MODEL_PACK_INVALID' });
  });
});
