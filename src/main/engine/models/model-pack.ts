/**
 * Model packs (DESIGN.md "Models"): a folder with ONNX files and a model.json that says how to
 * drive them. The studio reads only model.json, so a better-trained pack drops in without code
 * changes. Loading checks that the pack is one this studio can drive and that its ONNX graphs
 * have exactly the inputs and outputs model.json names; anything else is a clear error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { ApiError } from '../../../shared/api/errors.ts';

/** Newest model.json format version this studio drives. */
export const SUPPORTED_PACK_VERSION = 1;
export const PACK_FORMAT = 'splat-portrait-model-pack';

const dimension = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const tensorSpec = z.object({ name: z.string().min(1), shape: z.array(dimension), dtype: z.literal('float32') });
const graphSpec = z.object({ file: z.string().min(1), inputs: z.array(tensorSpec).min(1), outputs: z.array(tensorSpec).min(1) });

/** The part of model.json the studio relies on; other fields are kept as they are. */
export const modelJsonSchema = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.number().int().positive(),
  name: z.string().min(1),
  input: z.object({ resolution: z.number().int().positive() }),
  num_splats: z.number().int().positive(),
  depth_range: z.object({ near: z.number().positive(), far: z.number().positive() }),
  audio_frontend: z.object({ name: z.string().min(1) }),
  feature_window: z.object({ fps: z.number().positive() }),
  models: z.object({ static_generator: graphSpec, dynamic_decoder: graphSpec }),
});
export type ModelJson = z.infer<typeof modelJsonSchema>;
export type GraphName = keyof ModelJson['models'];

export interface ModelPack {
  dir: string;
  json: ModelJson;
  sessions: Record<GraphName, ort.InferenceSession>;
  release(): Promise<void>;
}

function invalid(dir: string, message: string): ApiError {
  return new ApiError('MODEL_PACK_INVALID', `The model pack in ${dir} cannot be used: ${message}`, { path: dir });
}

export function readModelJson(dir: string): ModelJson {
  const file = join(dir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(dir, existsSync(file) ? `model.json is not valid JSON (${(error as Error).message})` : 'it has no model.json');
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > SUPPORTED_PACK_VERSION) {
    throw invalid(dir, `it is format version ${version}; this studio drives packs up to version ${SUPPORTED_PACK_VERSION}. Update the studio.`);
  }
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(dir, `model.json ${issue?.path.join('.') || ''}: ${issue?.message ?? 'does not match the format'}`);
  }
  // The checked fields, with every other field kept (zod's parse output would drop them, and with
  // them audio_frontend's constants and level rule).
  return raw as ModelJson;
}

function sameNames(what: string, declared: string[], actual: readonly string[]): string | null {
  const missing = declared.filter((n) => !actual.includes(n));
  const extra = actual.filter((n) => !declared.includes(n));
  if (missing.length === 0 && extra.length === 0) return null;
  const parts = [];
  if (missing.length) parts.push(`model.json names ${what} ${missing.join(', ')} that the graph does not have`);
  if (extra.length) parts.push(`the graph has ${what} ${extra.join(', ')} that model.json does not name`);
  return parts.join('; ');
}

export async function loadModelPack(dir: string, options: { threads?: number } = {}): Promise<ModelPack> {
  const json = readModelJson(dir);
  const sessions: Partial<Record<GraphName, ort.InferenceSession>> = {};
  const release = async (): Promise<void> => {
    await Promise.all(Object.values(sessions).map((s) => s?.release()));
  };
  try {
    for (const graph of Object.keys(json.models) as GraphName[]) {
      const spec = json.models[graph];
      const file = join(dir, spec.file);
      if (!existsSync(file)) throw invalid(dir, `${spec.file} (${graph}) is missing`);
      try {
        sessions[graph] = await ort.InferenceSession.create(file, {
          executionProviders: ['cpu'],
          intraOpNumThreads: options.threads ?? 0,
          graphOptimizationLevel: 'all',
        });
      } catch (error) {
        throw invalid(dir, `${spec.file} is not a readable ONNX model (${(error as Error).message.split('\n')[0]})`);
      }
      const session = sessions[graph];
      const mismatch =
        sameNames('inputs', spec.inputs.map((t) => t.name), session.inputNames) ??
        sameNames('outputs', spec.outputs.map((t) => t.name), session.outputNames);
      if (mismatch) throw invalid(dir, `${spec.file}: ${mismatch}`);
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { dir, json, sessions: sessions as Record<GraphName, ort.InferenceSession>, release };
}
