/**
 * The native CPU backend against the reference rasterizer: the scenes, the comparison rule and
 * the tolerances (with their reasons and measurements) are in test/reference/backend-comparison.ts.
 */
import { describeBackendVsReference } from '../../reference/backend-comparison.ts';

describeBackendVsReference('cpu', null);
