/**
 * The dynamic decoder's audio input (paper 3.2, AudioAttNet): for each output video frame j, the
 * mel windows of its K neighbouring video frames j - floor(K / 2) .. j - floor(K / 2) + K - 1,
 * indices clamped to 0 .. nVideo - 1 (edge replication, as the mel window rule does for mel
 * frames). Rule stated in model.json feature_window.neighbour_rule.
 * Twin: attention_stack in training/splatportrait/features.py; test/unit/audio/neighbour-stack.test.ts
 * runs both on one array.
 */

/**
 * windows: [nVideo, window, melBins] float32 row-major (framesForVideo's output);
 * frames: target video frame indices (any integers; out-of-range ones clamp like their neighbours);
 * returns [frames.length, k, window, melBins] float32 row-major.
 */
export function neighbourStack(
  windows: Float32Array,
  nVideo: number,
  window: number,
  melBins: number,
  frames: readonly number[],
  k: number,
): Float32Array {
  if (!(Number.isInteger(nVideo) && nVideo > 0)) throw new RangeError(`neighbourStack: nVideo must be a positive integer, got ${nVideo}`);
  if (!(Number.isInteger(window) && window > 0)) throw new RangeError(`neighbourStack: window must be a positive integer, got ${window}`);
  if (!(Number.isInteger(melBins) && melBins > 0)) throw new RangeError(`neighbourStack: melBins must be a positive integer, got ${melBins}`);
  if (!(Number.isInteger(k) && k > 0)) throw new RangeError(`neighbourStack: k must be a positive integer, got ${k}`);
  const stride = window * melBins;
  if (windows.length !== nVideo * stride) {
    throw new RangeError(`neighbourStack: windows has ${windows.length} values, want nVideo * window * melBins = ${nVideo} * ${window} * ${melBins} = ${nVideo * stride}`);
  }
  const out = new Float32Array(frames.length * k * stride);
  const before = Math.floor(k / 2);
  frames.forEach((j, f) => {
    if (!Number.isInteger(j)) throw new RangeError(`neighbourStack: frames[${f}] must be an integer, got ${j}`);
    for (let i = 0; i < k; i++) {
      const src = Math.min(nVideo - 1, Math.max(0, j - before + i));
      out.set(windows.subarray(src * stride, (src + 1) * stride), (f * k + i) * stride);
    }
  });
  return out;
}
