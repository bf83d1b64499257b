// Fails fast when a script runs on a Node older than the project's pinned one (package.json
// "engines"): the machines' system Node 20 is end of life and better-sqlite3 crashes on it.
// npm scripts find the project's own Node (the `node` devDependency) first on PATH.
import { readFileSync } from 'node:fs';

const wanted = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const [major, minor] = process.versions.node.split('.').map(Number);
const [, wantMajor, wantMinor] = /(\d+)\.(\d+)/.exec(wanted).map(Number);
if (major < wantMajor || (major === wantMajor && minor < wantMinor)) {
  console.error(`Node ${process.versions.node} is too old: this project needs ${wanted}. Run "npm install" (it installs the pinned Node into node_modules) and use the npm scripts.`);
  process.exit(1);
}
console.log(`node ${process.versions.node} (${process.execPath})`);
