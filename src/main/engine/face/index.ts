/** The app's face pipeline: detection and mesh, head crop, approximate camera. */
export * from './types.ts';
export { detectFaces, MESH_INPUT_SIZE, type DetectOptions } from './detect.ts';
export * from './crop.ts';
export * from './camera-estimate.ts';
export * from './portrait.ts';
export { getHuman } from './human-loader.ts';
