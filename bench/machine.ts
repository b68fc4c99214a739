// Where and with what the figures were taken.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installDirFor } from '../contracts/live/harness.js';
import { repoRoot } from './targets.js';

const versionIn = (dir: string, pkg: string): string => {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
};

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function versions() {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' }).trim()) commit += ' + uncommitted changes';
  } catch {
    /* not a checkout */
  }
  const ours = Object.fromEntries(['hono', '@hono/node-server', '@msw/data', 'msw', 'bcryptjs', 'jose', 'tsx', 'autocannon', 'undici'].map((p) => [p, versionIn(repoRoot, p)]));
  return {
    node: process.version,
    commit,
    ...ours,
    'real Strapi v5': versionIn(installDirFor(5), '@strapi/strapi'),
    'real Strapi v4': versionIn(installDirFor(4), '@strapi/strapi'),
  };
}
