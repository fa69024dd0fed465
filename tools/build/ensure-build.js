#!/usr/bin/env node
// `node tools/build/ensure-build.js [--force] [--server]`: builds dist/ with `nest build`, and the
// console into web/dist/ (not with --server), each only when its sources changed since its last build (npm start, demo, simulators and bench used to pay ~20 s of
// `nest build` every time). The stamp is a hash of every input file's path and content, written
// into dist/ after a successful build (`nest build` empties dist/ first, so a failed build leaves
// no stamp and the next run builds again). Plain JavaScript: it must run before anything is built.
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const STAMP = '.build-stamp';
// What `nest build` compiles (tsconfig.build.json) and the files that steer it.
const INPUT_DIRS = ['src', 'migrations', 'tools'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json'];
// Not compiled: the Jest transformer and this script.
const SKIP = ['tools/jest', 'tools/build'];

function listFiles(root, dir, out) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules' || SKIP.includes(relative(root, path))) continue;
    if (entry.isDirectory()) listFiles(root, path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

// Content, not mtimes: a fresh clone or a checkout touches every file without changing any.
function sourceHash(root = ROOT) {
  const files = INPUT_DIRS.flatMap((d) => listFiles(root, join(root, d), []))
    .concat(INPUT_FILES.map((f) => join(root, f)).filter((f) => existsSync(f)))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function isCurrent(root = ROOT, hash = sourceHash(root)) {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'src', 'main.js')) || !existsSync(join(dist, STAMP))) return false;
  return readFileSync(join(dist, STAMP), 'utf8').trim() === hash;
}

function writeStamp(root, hash) {
  writeFileSync(join(root, 'dist', STAMP), `${hash}\n`);
}

// The console (Vite + React): its own inputs and its own stamp in web/dist/.
const WEB = join(ROOT, 'web');
const WEB_INPUT_FILES = ['package.json'];

function webHash() {
  const files = listFiles(WEB, WEB, [])
    .filter((f) => !relative(WEB, f).startsWith('dist'))
    .concat(WEB_INPUT_FILES.map((f) => join(ROOT, f)))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function run(command, args) {
  const res = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

function main() {
  const force = process.argv.includes('--force');
  const hash = sourceHash();
  if (force || !isCurrent(ROOT, hash)) {
    process.stderr.write(force ? 'Building dist/\n' : 'Building dist/ (sources changed since the last build)\n');
    run(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js', { paths: [ROOT] }), 'build']);
    // Hashed before the build: a file edited while it ran makes the next run build again.
    writeStamp(ROOT, hash);
  }
  // Tools (openapi, demo, simulators, migrations…) need the server only.
  if (process.argv.includes('--server') || !existsSync(WEB)) return;
  const web = webHash();
  const webStamp = join(WEB, 'dist', STAMP);
  const webCurrent = existsSync(join(WEB, 'dist', 'index.html')) && existsSync(webStamp);
  if (!force && webCurrent && readFileSync(webStamp, 'utf8').trim() === web) return;
  process.stderr.write('Building the console into web/dist/\n');
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build:web']);
  writeFileSync(webStamp, `${web}\n`);
}

module.exports = { sourceHash, isCurrent, writeStamp };
if (require.main === module) main();
