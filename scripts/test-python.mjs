// Runs the Python tests of the rasterizer (test/python: float64 reference, host emulation of the
// CUDA maths, the PyTorch binding, GPU tests that skip without CUDA) with Debian's python3, which
// carries python3-torch. Checks the toolchain first and says how to install what is missing.
// SPLAT_PYTHON overrides the interpreter (default /usr/bin/python3: another python3 earlier on
// PATH may lack torch). Extra arguments go to pytest, e.g. `node scripts/test-python.mjs -k cuda`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.SPLAT_PYTHON ?? '/usr/bin/python3';
const install =
  'sudo apt-get install python3 python3-torch libtorch-dev python3-pytest python3-numpy pybind11-dev ninja-build g++';

function fail(problem) {
  console.error(`test-python: ${problem}\nThe Python tests need Debian's PyTorch and a C++ toolchain:\n  ${install}\n` +
    '(or set SPLAT_PYTHON to an interpreter that has torch, pytest and numpy).');
  process.exit(1);
}

if (!existsSync(python)) fail(`no Python interpreter at ${python}`);

// What torch.utils.cpp_extension.load needs to build the extensions, checked in one process.
const probe = `
import importlib, os, shutil, sys
missing = []
for mod in ("torch", "pytest", "numpy"):
    try:
        importlib.import_module(mod)
    except Exception as e:
        missing.append(f"python module {mod} ({type(e).__name__}: {e})")
if not shutil.which("ninja"):
    missing.append("ninja (torch.utils.cpp_extension builds with it)")
if not (shutil.which("c++") or shutil.which("g++")):
    missing.append("a C++ compiler (c++ / g++)")
heads = [os.path.join(p, "pybind11", "pybind11.h") for p in ("/usr/include", "/usr/local/include")]
try:
    import pybind11
    heads.append(os.path.join(pybind11.get_include(), "pybind11", "pybind11.h"))
except Exception:
    pass
if not any(os.path.exists(h) for h in heads):
    missing.append("pybind11 headers (pybind11/pybind11.h)")
print("\\n".join(missing))
`;
const checked = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
if (checked.error) fail(`cannot run ${python}: ${checked.error.message}`);
if (checked.status !== 0) fail(`${python} failed to start:\n${checked.stderr}`);
const missing = checked.stdout.trim();
if (missing) fail(`missing:\n  - ${missing.split('\n').join('\n  - ')}`);

const run = spawnSync(python, ['-m', 'pytest', '-q', 'test/python', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
});
if (run.error) fail(`cannot run pytest: ${run.error.message}`);
process.exit(run.status ?? 1);
