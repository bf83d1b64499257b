/**
 * npm run eval: the quality of a model pack on the held-out clips of ../shared/data/talking, beside
 * two baselines (repeat the source frame; the static avatar without dynamic offsets), with the
 * paper's same-identity protocol (src/main/eval/eval-clip.ts).
 *
 *   npm run eval -- [--pack resources/models/tiny] [--data ../shared/data] [--dataset DIR]
 *                   [--out DIR] [--clips id1,id2] [--stride 1] [--max-frames N] [--write-model-json]
 *
 * The val clips are prepared (face crop and camera per frame) into --dataset with the app's own
 * face pipeline on first use (scripts/prepare-dataset.ts; a few minutes), then reused.
 * Writes <out>/eval.json, <out>/eval.md and <out>/<clip>.png (real, repeat source, static, model,
 * and the model's yaw sweep); --write-model-json puts the averages into the pack's model.json.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadModelPack, readModelJson } from '../src/main/engine/models/model-pack.ts';
import { defaultPackDir } from '../src/main/engine/models/pack-registry.ts';
import { writeContactSheet } from '../src/main/eval/contact-sheet.ts';
import { evaluateClip, type ClipEvaluation } from '../src/main/eval/eval-clip.ts';
import { formatMarkdown, formatText, metricsBlock, rowLabel, summarise, type PackIdentity } from '../src/main/eval/eval-report.ts';
import { readPreparedClip } from '../src/main/eval/prepared-clip.ts';
import { findAppRoot } from '../src/main/paths/app-root.ts';
import { main as prepareDataset } from './prepare-dataset.ts';

const USAGE = 'usage: npm run eval -- [--pack DIR] [--data DIR] [--dataset DIR] [--out DIR] [--clips a,b] [--stride N] [--max-frames N] [--write-model-json]';

function log(msg: string): void {
  process.stdout.write(`[eval ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1, got ${value}`);
  return n;
}

interface DatasetIndex {
  clips: { id: string; split: string }[];
}

async function valClipIds(dataset: string, wanted: string[] | undefined): Promise<string[]> {
  const index = JSON.parse(await readFile(join(dataset, 'index.json'), 'utf8')) as DatasetIndex;
  const val = index.clips.filter((c) => c.split === 'val').map((c) => c.id);
  if (!wanted) return val;
  const unknown = wanted.filter((id) => !val.includes(id));
  if (unknown.length) throw new Error(`not val clips of ${dataset}: ${unknown.join(', ')} (val clips: ${val.join(', ')})`);
  return wanted;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pack: { type: 'string' },
      data: { type: 'string', default: '../shared/data' },
      dataset: { type: 'string' },
      out: { type: 'string' },
      clips: { type: 'string' },
      stride: { type: 'string' },
      'max-frames': { type: 'string' },
      'write-model-json': { type: 'boolean', default: false },
      threads: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = findAppRoot();
  const packDir = resolve(values.pack ?? defaultPackDir(root));
  const data = resolve(values.data);
  const dataset = resolve(values.dataset ?? join(root, '.cache', 'eval-dataset'));
  const stride = positiveInt('stride', values.stride) ?? 1;
  const maxFrames = positiveInt('max-frames', values['max-frames']) ?? null;
  const threads = positiveInt('threads', values.threads) ?? 0;
  const json = readModelJson(packDir);
  const raw = JSON.parse(await readFile(join(packDir, 'model.json'), 'utf8')) as { created?: string };
  const pack: PackIdentity = { name: json.name, version: json.version, created: raw.created ?? null, dir: packDir };
  const out = resolve(values.out ?? join(root, '.cache', 'eval', pack.name));

  const wanted = values.clips?.split(',').map((s) => s.trim()).filter(Boolean);
  const indexed = existsSync(join(dataset, 'index.json')) ? await valClipIds(dataset, undefined) : [];
  if (indexed.length === 0 || (wanted && wanted.some((id) => !indexed.includes(id)))) {
    if (!existsSync(join(data, 'MANIFEST.tsv'))) throw new Error(`${data}: no MANIFEST.tsv; pass --data, the shared data folder`);
    log(`preparing the val clips of ${data} into ${dataset} (face crop and camera per frame; once)`);
    const code = await prepareDataset(['--data', data, '--out', dataset, '--split', 'val', ...(wanted ? ['--clips', wanted.join(',')] : [])]);
    if (code !== 0) throw new Error(`preparing the val clips failed (exit ${code})`);
  }
  const ids = await valClipIds(dataset, wanted);
  if (ids.length === 0) throw new Error(`${dataset} has no val clips`);

  log(`pack ${pack.name} (${packDir}); ${ids.length} clip(s): ${ids.join(', ')}; stride ${stride}${maxFrames ? `, at most ${maxFrames} frames` : ''}`);
  const model = await loadModelPack(packDir);
  await mkdir(out, { recursive: true });
  const results: ClipEvaluation[] = [];
  let size = 0;
  for (const id of ids) {
    const clip = await readPreparedClip(join(dataset, id));
    size = clip.size;
    let shown = 0;
    const result = await evaluateClip(model, clip, {
      stride,
      maxFrames: maxFrames ?? undefined,
      threads,
      onProgress: (done, total) => {
        if (done === total || done - shown >= 25) {
          shown = done;
          log(`${id}: ${done}/${total} frames`);
        }
      },
    });
    results.push(result);
    const sheet = join(out, `${id}.png`);
    await writeContactSheet(sheet, result.sheet, rowLabel('model', pack));
    log(`${id}: done in ${result.seconds.toFixed(0)} s; ${sheet}`);
  }
  const summary = summarise(pack, { dataset, split: 'val', stride, maxFrames, size }, results);
  await writeFile(join(out, 'eval.json'), JSON.stringify(summary, null, 2) + '\n');
  await writeFile(join(out, 'eval.md'), formatMarkdown(summary));
  process.stdout.write(`\n${formatText(summary)}\n\n`);
  log(`wrote ${join(out, 'eval.json')} and eval.md`);
  if (values['write-model-json']) {
    const path = join(packDir, 'model.json');
    const current = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    current.metrics = metricsBlock(summary);
    await writeFile(`${path}.tmp`, JSON.stringify(current, null, 2) + '\n');
    await rename(`${path}.tmp`, path);
    readModelJson(packDir);
    log(`metrics written into ${path}`);
  }
  return 0;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`eval: ${(err as Error).message}\n${USAGE}\n`);
      process.exit(2);
    },
  );
}
