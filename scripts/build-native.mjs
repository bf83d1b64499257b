// Builds the native rasterizer src/native-gpu -> src/native-gpu/build/Release/splat_raster.node
// with cmake-js (Release). Offline: src/native-gpu/package.json marks the project as Node-API
// (binary.napi_versions), so cmake-js takes its headers from the node-api-headers package and
// node-addon-api from node_modules instead of downloading Node's headers.
//
// Usage: node scripts/build-native.mjs [--if-possible]
//   env SPLAT_CUDA=AUTO|ON|OFF  CUDA backend (default AUTO: on when cuda/*.cu exist and CMake
//                               finds nvcc; OFF forces a CPU-only build).
//   --if-possible               on failure print a warning and exit 0 (for postinstall, so that
//                               an install without a compiler still completes; the app then
//                               reports the native rasterizer as not built).
// Fast when nothing changed: it only reconfigures when the options differ from the last run
// (build/build-native.json), and the build step is then a no-op. Ends with a check: the built
// module is loaded in a fresh Node and asked which backends it has.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = join(root, 'src', 'native-gpu');
const out = join(project, 'build');
const addon = join(out, 'Release', 'splat_raster.node');
const cmakeJs = join(root, 'node_modules', 'cmake-js', 'bin', 'cmake-js');
const ifPossible = process.argv.includes('--if-possible');

function fail(message) {
  if (ifPossible) {
    console.warn(`build-native: WARNING: ${message}\nbuild-native: the native rasterizer is not built; run "npm run build:native" once the problem is fixed.`);
    process.exit(0);
  }
  console.error(`build-native: ${message}`);
  process.exit(1);
}

function run(args) {
  const result = spawnSync(process.execPath, [cmakeJs, ...args], { cwd: root, stdio: 'inherit' });
  if (result.error) fail(`cannot run cmake-js: ${result.error.message}`);
  if (result.status !== 0) fail(`cmake-js ${args[0]} failed (exit ${result.status}); see the output above`);
}

const splatCuda = (process.env.SPLAT_CUDA ?? 'AUTO').toUpperCase();
if (!['AUTO', 'ON', 'OFF'].includes(splatCuda)) fail(`SPLAT_CUDA must be AUTO, ON or OFF, received "${process.env.SPLAT_CUDA}"`);
if (!existsSync(cmakeJs)) fail(`cmake-js is not installed (${cmakeJs}); run "npm install"`);

const common = ['--directory', project, '--out', out, '--config', 'Release'];
const options = { splatCuda, cmakeJs: JSON.parse(readFileSync(join(root, 'node_modules', 'cmake-js', 'package.json'), 'utf8')).version };
const stampPath = join(out, 'build-native.json');
const stamp = existsSync(stampPath) ? readFileSync(stampPath, 'utf8') : '';
mkdirSync(out, { recursive: true });
// The build folder is generated: keep it out of git (the root .gitignore does not list it).
writeFileSync(join(out, '.gitignore'), '*\n');

const started = performance.now();
if (stamp !== JSON.stringify(options) || !existsSync(join(out, 'CMakeCache.txt'))) {
  run(['configure', ...common, `--CDSPLAT_CUDA=${splatCuda}`]);
  writeFileSync(stampPath, JSON.stringify(options));
}
run(['build', ...common, '--parallel', String(availableParallelism())]);
if (!existsSync(addon)) fail(`the build finished but ${addon} is missing`);

// Check: load the module in a fresh process (as the app will) and ask for its backends.
const probe = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(addon)}).backends()))`], {
  encoding: 'utf8',
});
if (probe.status !== 0) fail(`${addon} does not load: ${probe.stderr.trim()}`);
const backends = JSON.parse(probe.stdout);
const info = JSON.parse(readFileSync(join(out, 'build-info.json'), 'utf8'));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`build-native: ${addon} (${seconds} s)`);
console.log(`build-native: CPU backend yes; CUDA compiled in: ${info.cuda ? `yes (sm ${info.cudaArchitectures})` : `no (${info.reason})`}` +
  (info.cuda ? `; CUDA usable here: ${backends.cuda ? 'yes' : `no (${backends.cudaReason})`}` : ''));
