// The installed version of a peer dependency, read from the app's node_modules as Node resolves
// it from this package (Node only: the browser entry checks msw by what it exports).
import { createRequire } from 'node:module';
import { checkPeer } from './peers.js';

export function installedVersion(name: string): string | undefined {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The peers' ranges, as package.json's peerDependencies say them. */
export const peerRanges = { msw: ['2.0.0', 2], vitest: ['1.0.0', 4], jest: ['27.0.0', 30] } as const;

export function checkInstalledPeer(entry: string, name: keyof typeof peerRanges): void {
  const [min, maxMajor] = peerRanges[name];
  checkPeer(entry, name, installedVersion(name), min, maxMajor);
}
