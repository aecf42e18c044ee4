#!/usr/bin/env node
// `npm test`'s typecheck and lint over the files git tracks, so a stray untracked file (a scratch
// note.ts, a half-copied spec) never fails the run:
//   node scripts/tracked-checks.mjs typecheck   tsc --noEmit on the tracked files of tsconfig.json and
//                                                of apps/admin/web/tsconfig.json (imports still followed)
//   node scripts/tracked-checks.mjs lint        eslint --max-warnings 0 on the tracked sources
// Outside a git checkout (a source tarball) it runs the plain `npm run typecheck` / `npm run lint`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cache = join(root, '.cache');

function tracked(patterns) {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--', ...patterns], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .toString()
      .split('\0')
      .filter((f) => f !== '' && existsSync(join(root, f)));
  } catch {
    return null; // not a git checkout
  }
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

/** A tsconfig that extends `base` and lists exactly `files` (paths relative to the repo root). */
function trackedConfig(name, base, files) {
  mkdirSync(cache, { recursive: true });
  const path = join(cache, name);
  writeFileSync(
    path,
    JSON.stringify(
      { extends: join('..', base), include: [], files: files.map((f) => join('..', f)) },
      null,
      2,
    ),
  );
  return path;
}

function typecheck() {
  const server = tracked(['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'vitest.config.ts']);
  const web = tracked([
    'apps/admin/web/src/**/*.ts',
    'apps/admin/web/src/**/*.tsx',
    'apps/admin/web/vite.config.ts',
  ]);
  if (server === null || web === null) {
    return run('npm', ['run', '--silent', 'typecheck']);
  }
  const serverFiles = server.filter((f) => !f.startsWith('apps/admin/web/') && !f.includes('/dist/'));
  const first = run('npx', [
    'tsc',
    '-p',
    trackedConfig('tsconfig.tracked.json', 'tsconfig.json', serverFiles),
    '--noEmit',
  ]);
  const second = run('npx', [
    'tsc',
    '-p',
    trackedConfig('tsconfig.web.tracked.json', 'apps/admin/web/tsconfig.json', web),
    '--noEmit',
  ]);
  return first || second;
}

function lint() {
  const files = tracked(['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.mjs', '*.cjs']);
  if (files === null) {
    return run('npm', ['run', '--silent', 'lint']);
  }
  return run('npx', ['eslint', '--max-warnings', '0', '--no-warn-ignored', ...files]);
}

const command = process.argv[2];
if (command === 'typecheck') {
  process.exitCode = typecheck();
} else if (command === 'lint') {
  process.exitCode = lint();
} else {
  console.error('usage: tracked-checks.mjs typecheck|lint');
  process.exitCode = 2;
}
