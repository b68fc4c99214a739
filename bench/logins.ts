// POST /api/auth/local under load without letting the rate limiter decide. Strapi's limiter
// (and the emulator's, which copies it) counts 10 requests per 60 s per client address + path,
// whatever the identifier; so each connection sends at most 9 logins from one loopback source
// address (127.100.x.y, undici Agent localAddress) and then moves to a fresh one. Identifiers
// rotate over the seeded users; every login carries the right password (a full bcrypt compare).
// Nothing in the servers' configuration is changed.
import { Agent, request } from 'undici';
import { closedLoop } from './loop.js';
import { PASSWORD } from './options.js';
import type { Load } from './stats.js';

const PER_ADDRESS = 9;
/** Source addresses are never reused within one bench run. */
let nextSlot = 0;
const address = (slot: number) => `127.${100 + Math.floor(slot / 65025)}.${Math.floor(slot / 255) % 255}.${(slot % 255) + 1}`;

export async function loginLoad(url: string, identifiers: string[], seconds: number, connections: number): Promise<Load & { addresses: number }> {
  const first = nextSlot;
  const lanes = Array.from({ length: connections }, () => ({ agent: undefined as Agent | undefined, used: PER_ADDRESS }));
  let n = 0;
  const load = await closedLoop(
    async (w) => {
      const lane = lanes[w];
      if (lane.used >= PER_ADDRESS) {
        void lane.agent?.close();
        lane.agent = new Agent({ localAddress: address(nextSlot++), connections: 1 });
        lane.used = 0;
      }
      lane.used++;
      const body = JSON.stringify({ identifier: identifiers[n++ % identifiers.length], password: PASSWORD });
      const res = await request(`${url}/api/auth/local`, { method: 'POST', dispatcher: lane.agent, headers: { 'content-type': 'application/json' }, body });
      await res.body.dump();
      return res.statusCode;
    },
    { seconds, connections },
  );
  await Promise.all(lanes.map((l) => l.agent?.close()));
  return { ...load, addresses: nextSlot - first };
}
