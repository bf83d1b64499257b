/**
 * Face detection and the 478-point mesh with Human (BlazeFace + MediaPipe-topology Face Mesh +
 * iris), returned in image pixels with depth in the same pixel scale, and the head rotation.
 */
import { faceWidth3d, headRotation } from './camera-estimate.ts';
import { getHuman, type HumanFaceResult } from './human-loader.ts';
import type { Face, Point3, RgbImage } from './types.ts';

/** Input side of Human's facemesh model (models/facemesh.json: input_1 [-1, 192, 192, 3]). */
export const MESH_INPUT_SIZE = 192;

export interface DetectOptions {
  /**
   * Video mode: consecutive calls are frames of one clip. Human then re-runs the detector only
   * every `detectorEvery` frames (or when the picture changes a lot) and tracks the face with the
   * mesh from the previous frame's box in between, which is about 2x faster. Still images: false
   * (each call independent).
   */
  video?: boolean;
  /** Video mode: frames between full detector runs (default 10). */
  detectorEvery?: number;
  /**
   * Also compute Human's face description embedding (models/faceres: a 1024-d identity vector)
   * for each face; about 20-50 ms more per face. Off by default.
   */
  embedding?: boolean;
}

/**
 * Human returns mesh x, y in image pixels but z in the mesh model's input units (it scales x, y by
 * box size / 192 and leaves z as is: transformRawCoords in human's src/face/facemeshutil.ts).
 * The box it reports keeps the size of the box the mesh ran on (calculateFaceBox), so
 * z * box / 192 puts depth in the same pixel scale as x and y.
 */
function meshInPixels(f: HumanFaceResult): Point3[] {
  const boxSize = Math.max(f.box[2], f.box[3]);
  const zs = boxSize / MESH_INPUT_SIZE;
  return f.mesh.map((p) => [p[0], p[1], (p[2] ?? 0) * zs]);
}

/** Faces in an RGB(A) image, largest (3D face width) first. Faces without a full mesh are dropped. */
export async function detectFaces(img: RgbImage, options: DetectOptions = {}): Promise<Face[]> {
  if (img.channels !== 3 && img.channels !== 4) throw new Error(`detectFaces: expected 3 or 4 channels, got ${String(img.channels)}`);
  if (img.data.length < img.width * img.height * img.channels) {
    throw new Error(`detectFaces: data has ${img.data.length} bytes, expected ${img.width}x${img.height}x${img.channels}`);
  }
  const human = await getHuman();
  let rgb = img.data;
  if (img.channels === 4) {
    rgb = new Uint8Array(img.width * img.height * 3);
    for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
      rgb[j] = img.data[i]!;
      rgb[j + 1] = img.data[i + 1]!;
      rgb[j + 2] = img.data[i + 2]!;
    }
  }
  const tensor = human.tf.tensor(rgb.subarray(0, img.width * img.height * 3), [1, img.height, img.width, 3], 'int32');
  const every = options.detectorEvery ?? 10;
  let result;
  try {
    result = await human.detect(tensor, {
      // 0 disables Human's input-similarity cache, so every still image gets a full detection.
      cacheSensitivity: options.video ? 0.7 : 0,
      face: {
        detector: { skipFrames: options.video ? every : 0, skipTime: options.video ? 60_000 : 0 },
        description: { enabled: options.embedding === true, skipFrames: 0, skipTime: 0 },
      },
    });
  } finally {
    tensor.dispose();
  }
  if (result.error) throw new Error(`face detection failed: ${result.error}`);
  const faces: Face[] = [];
  for (const f of result.face) {
    if (!f.mesh || f.mesh.length < 468) continue;
    const mesh = meshInPixels(f);
    const face: Face = { box: f.box, score: f.score, mesh, rotation: headRotation(mesh), faceWidth: faceWidth3d(mesh) };
    if (options.embedding && f.embedding && f.embedding.length > 0) face.embedding = Float32Array.from(f.embedding);
    faces.push(face);
  }
  faces.sort((a, b) => b.faceWidth - a.faceWidth);
  return faces;
}
