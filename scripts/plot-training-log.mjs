// Plots the loss and PSNR of a training log (the JSON lines train.py prints) as a PNG.
// Usage: node scripts/plot-training-log.mjs LOG [LOG ...] --out curves.png
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
if (!values.out || positionals.length === 0) {
  console.error('usage: node scripts/plot-training-log.mjs LOG [LOG ...] --out curves.png');
  process.exit(2);
}
const rows = positionals
  .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line))
  .filter((r) => Number.isFinite(r.step) && Number.isFinite(r.recon));
// Stage II steps continue after stage I on one axis.
const stage1End = Math.max(0, ...rows.filter((r) => r.stage === 1).map((r) => r.step));
const points = rows.map((r) => ({ x: r.stage === 2 ? stage1End + r.step : r.step, loss: r.recon, psnr: r.psnr, stage: r.stage }));

const W = 900, H = 420, pad = { l: 70, r: 70, t: 40, b: 50 };
const xs = points.map((p) => p.x);
const xMax = Math.max(...xs, 1);
const logLoss = points.map((p) => Math.log10(p.loss));
const [lMin, lMax] = [Math.min(...logLoss), Math.max(...logLoss)];
const [pMin, pMax] = [Math.min(...points.map((p) => p.psnr)), Math.max(...points.map((p) => p.psnr))];
const sx = (x) => pad.l + (x / xMax) * (W - pad.l - pad.r);
const sy = (v, lo, hi) => pad.t + (1 - (v - lo) / (hi - lo || 1)) * (H - pad.t - pad.b);
const smooth = (values, k = 5) => values.map((_, i) => { const w = values.slice(Math.max(0, i - k), i + k + 1); return w.reduce((a, b) => a + b, 0) / w.length; });
const path = (vals, lo, hi) => vals.map((v, i) => `${i ? 'L' : 'M'}${sx(points[i].x).toFixed(1)},${sy(v, lo, hi).toFixed(1)}`).join(' ');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="13">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${pad.l}" y="24" font-size="15">Training: reconstruction loss (log10, left) and PSNR dB (right); smoothed</text>
${stage1End ? `<line x1="${sx(stage1End)}" x2="${sx(stage1End)}" y1="${pad.t}" y2="${H - pad.b}" stroke="#999" stroke-dasharray="4 4"/><text x="${sx(stage1End) + 4}" y="${pad.t + 14}" fill="#666">stage II</text>` : ''}
<path d="${path(smooth(logLoss), lMin, lMax)}" fill="none" stroke="#c0392b" stroke-width="2"/>
<path d="${path(smooth(points.map((p) => p.psnr)), pMin, pMax)}" fill="none" stroke="#2e86c1" stroke-width="2"/>
<line x1="${pad.l}" x2="${W - pad.r}" y1="${H - pad.b}" y2="${H - pad.b}" stroke="#333"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">step (stage I then stage II), ${xMax} in all</text>
<text x="8" y="${pad.t + 10}" fill="#c0392b">${lMax.toFixed(2)}</text><text x="8" y="${H - pad.b}" fill="#c0392b">${lMin.toFixed(2)}</text>
<text x="${W - pad.r + 6}" y="${pad.t + 10}" fill="#2e86c1">${pMax.toFixed(1)}</text><text x="${W - pad.r + 6}" y="${H - pad.b}" fill="#2e86c1">${pMin.toFixed(1)}</text>
</svg>`;
await sharp(Buffer.from(svg)).png().toFile(values.out);
console.log(`wrote ${values.out} (${points.length} points)`);
