/**
 * The native CUDA backend against the reference rasterizer, on the same scenes and tolerances as
 * the CPU backend (test/reference/backend-comparison.ts). Skipped, with the reason, where CUDA is
 * not available (not built, no driver, no device).
 */
import { availableBackends } from '../../../src/main/raster/native-raster.ts';
import { describeBackendVsReference } from '../../reference/backend-comparison.ts';

const backends = availableBackends();
describeBackendVsReference('cuda', backends.cuda ? null : (backends.cudaReason ?? 'CUDA unavailable'));
