/**
 * Builds the Next.js app when its sources changed since the last build (or it was never built), so that
 * `npm start` and `npm test` work from a fresh clone and stay fast afterwards.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inputs = ['app', 'components', 'server', 'db', 'next.config.js', 'tsconfig.json', 'package-lock.json'];
const stampFile = path.join(root, '.next', 'stukwerk-source-hash');

function files(p: string): string[] {
  const abs = path.join(root, p);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return [p];
  return readdirSync(abs)
    .sort()
    .flatMap((name) => files(path.join(p, name)));
}

const hash = createHash('sha256');
for (const file of inputs.flatMap(files))
  hash
    .update(file)
    .update('\0')
    .update(readFileSync(path.join(root, file)));
const digest = hash.digest('hex');

const built =
  existsSync(path.join(root, '.next', 'BUILD_ID')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === digest;
if (!built) {
  console.log('[build] sources changed since the last build: running next build');
  const result = spawnSync('npx', ['next', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, digest);
}
