// "A 500 means nothing changed": a write that cannot be made durable is refused to every
// request sharing it, rolled back in memory (never seen by a read), its webhook deliveries
// dropped, and the next write carries none of it. First with an injected write (to hold and
// fail a write at a chosen moment), then on a real small tmpfs, full and read-only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { fullAccessToken, password, setup } from '../testing.js';
import { requestLogOf } from '../inspector/log.js';
import { attachPersistence } from './index.js';
import { StateFileError } from './state-file.js';
import { readDurableState } from './durable.js';
import type { DiskOp } from './durable.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-durability-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const admin = { token: fullAccessToken };
/** The world the disk holds (the snapshot with its journal), as a restart would load it. */
const onDisk = async (file: string) => (await readDurableState(file))!;
const usernames = (rows: Array<{ username: string }>) => rows.map((u) => u.username).sort();
/** What the emulator logged while `fn` ran (kept off the test output). */
let logged: string[] = [];
const quiet = <T>(fn: () => Promise<T>): Promise<T> => {
  const original = console.error;
  logged = [];
  console.error = (...args: unknown[]) => void logged.push(args.join(' '));
  return fn().finally(() => (console.error = original));
};

/** A disk whose writes (journal appends, snapshots) can be held (a write in progress) and made to fail as a full disk does. */
function injectedDisk() {
  let release: (() => void) | undefined;
  let held: Promise<void> | undefined;
  const disk = {
    fail: false,
    started: 0,
    hold() {
      held = new Promise((r) => (release = r));
    },
    let() {
      release?.();
      held = undefined;
    },
    async io(op: DiskOp, write: () => Promise<void>) {
      disk.started++;
      await held;
      if (disk.fail) throw new StateFileError(op.path, 'cannot be written (ENOSPC: no space left on device, write)', 'ENOSPC');
      await write();
    },
  };
  return disk;
}

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
};

test('a failed group write: every request sharing it gets the marked 500, reads waiting meanwhile see none of it, the next write and a restart hold exactly what was acknowledged', async () => {
  const file = join(dir, 'state.json');
  const disk = injectedDisk();
  const t = await setup();
  const persistence = await attachPersistence(t.emulator, { file, io: disk.io });
  const acked = await t.register({ username: 'acked' });

  disk.hold();
  disk.fail = true;
  const startedBefore = disk.started;
  const writers = Array.from({ length: 6 }, (_, i) => t.call('POST', '/api/auth/local/register', { json: { username: `lost${i}`, email: `lost${i}@example.com`, password }, ip: t.ip(), validate: false }));
  // One write is under way (held), the others' changes are in memory, waiting for the next one.
  await until(() => disk.started > startedBefore && t.store.users.count() > 1);
  expect(t.store.users.count()).toBeGreaterThan(1);
  let readDone = false;
  const reads = Promise.all([
    t.call('GET', '/api/users', admin),
    t.call('GET', '/_emulator/snapshot'),
    t.call('GET', '/_emulator/ui/users', { validate: false }),
  ]).finally(() => (readDone = true));
  await new Promise((r) => setTimeout(r, 50));
  // A read arriving while the write is pending waits for it (or it would see un-acknowledged users).
  expect(readDone).toBe(false);
  await quiet(async () => {
    disk.let();
    const answers = await Promise.all(writers);
    for (const a of answers) {
      expect(a.status).toBe(500);
      expect(a.body).toEqual({ data: null, error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error' } });
      expect(a.headers.get('x-strapi-emulator-persistence')).toBe('ENOSPC: the disk holding the state file is full; the change was rolled back, nothing was changed');
    }
  });
  // The inspector's request log shows the answers the clients got, not the ones before the refusal.
  const inLog = requestLogOf(t.store)!.recent().filter((r) => r.path === '/api/auth/local/register');
  expect(inLog.map((r) => r.status)).toEqual([...Array(6).fill(500), 200]);
  const [users, snapshot, page] = await reads;
  expect(usernames(users.body)).toEqual(['acked']);
  expect(usernames(snapshot.body.users.rows)).toEqual(['acked']);
  expect(page.text).not.toContain('lost');
  expect(usernames(t.store.users.all())).toEqual(['acked']);

  // Space is back: the next write succeeds and holds nothing of the rolled-back ones (not even their ids).
  disk.fail = false;
  const after = await t.register({ username: 'after' });
  expect(after.id).toBe(acked.id + 1);
  expect(usernames((await onDisk(file)).snapshot.users.rows)).toEqual(['acked', 'after']);
  await persistence.close();

  const restarted = await setup();
  const again = await attachPersistence(restarted.emulator, { file });
  expect(usernames(restarted.store.users.all())).toEqual(['acked', 'after']);
  expect((await restarted.call('POST', '/api/auth/local', { json: { identifier: 'lost0', password }, ip: restarted.ip() })).status).toBe(400);
  await again.close();
});

test('under concurrent registrations and reads with a disk failing at random: no read ever shows a refused user, and the world and the file end holding exactly the acknowledged ones', async () => {
  const file = join(dir, 'state.json');
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const t = await setup();
  const persistence = await attachPersistence(t.emulator, {
    file,
    // Compacting often, so the failures hit snapshot writes too.
    compactBytes: 4096,
    async io(op, write) {
      await new Promise((r) => setTimeout(r, random() * 4));
      if (random() < 0.3) throw new StateFileError(op.path, 'cannot be written (ENOSPC: no space left on device, write)', 'ENOSPC');
      await write();
    },
  });
  const acknowledged = new Set<string>();
  const refused = new Set<string>();
  const seen: string[][] = [];
  await quiet(() =>
    Promise.all(
      Array.from({ length: 8 }, async (_, client) => {
        for (let i = 0; i < 12; i++) {
          if (random() < 0.5) {
            const username = `c${client}u${i}`;
            const r = await t.call('POST', '/api/auth/local/register', { json: { username, email: `${username}@example.com`, password }, ip: t.ip(), validate: false });
            expect(r.status).toBeOneOf([200, 500]);
            (r.status === 200 ? acknowledged : refused).add(username);
          } else {
            const r = await t.call('GET', '/api/users', { token: fullAccessToken, validate: false });
            expect(r.status).toBe(200);
            seen.push(r.body.map((u: { username: string }) => u.username));
          }
        }
      }),
    ),
  );
  expect(refused.size).toBeGreaterThan(0);
  expect(acknowledged.size).toBeGreaterThan(0);
  for (const list of seen) for (const name of list) expect(refused.has(name), `a read saw ${name}, whose registration was refused`).toBe(false);
  await persistence.flush();
  expect(usernames(t.store.users.all())).toEqual([...acknowledged].sort());
  expect(usernames((await onDisk(file)).snapshot.users.rows)).toEqual([...acknowledged].sort());
  await persistence.close();
});

describe('webhooks, emails and the clock of a rolled-back change', () => {
  let receiver: Server;
  let received: Array<{ event: string; model?: string; entry?: Record<string, unknown> }>;
  let url: string;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));
  beforeEach(() => {
    received = [];
  });
  const articles = () => received.filter((r) => r.model === 'article').map((r) => r.entry?.title);

  test('no webhook is delivered for it, the deliveries of acknowledged changes stay in the log, its email leaves the outbox, the clock goes back', async () => {
    const file = join(dir, 'state.json');
    const disk = injectedDisk();
    const t = await setup();
    const persistence = await attachPersistence(t.emulator, { file, io: disk.io });
    expect((await t.call('POST', '/_emulator/webhooks', { json: { url, events: ['entry.create'] } })).status).toBe(201);
    const ann = await t.register({ username: 'ann' });
    expect((await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Kept' } } })).status).toBe(201);
    await t.control.webhooks.settled();
    expect(articles()).toEqual(['Kept']);

    disk.fail = true;
    await quiet(async () => {
      const article = await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Lost' } }, validate: false });
      expect(article.status).toBe(500);
      const forgot = await t.call('POST', '/api/auth/forgot-password', { json: { email: ann.email }, ip: t.ip(), validate: false });
      expect(forgot.status).toBe(500);
      const clock = await t.call('POST', '/_emulator/clock', { json: { advance: 3_600_000 }, validate: false });
      expect(clock.status).toBe(500);
      t.control.advanceClock(1000);
      await expect(persistence.flush()).rejects.toThrow(/ENOSPC/);
    });
    await t.control.webhooks.settled();
    expect(articles()).toEqual(['Kept']);
    expect(t.control.webhooks.deliveries().filter((d) => d.body.model === 'article').map((d) => (d.body.entry as { title: string }).title)).toEqual(['Kept']);
    expect((await t.call('GET', '/_emulator/outbox')).body.mails).toEqual([]);
    expect(t.store.clock.offset).toBe(0);
    expect((await t.call('GET', '/api/articles', admin)).body.data.map((d: { title: string }) => d.title)).toEqual(['Kept']);

    disk.fail = false;
    expect((await t.call('POST', '/api/articles', { ...admin, json: { data: { title: 'Later' } } })).status).toBe(201);
    await t.control.webhooks.settled();
    expect(articles()).toEqual(['Kept', 'Later']);
    await persistence.close();
  });
});

// A real small file system: root can mount a tmpfs (skipped where that is not allowed).
const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'emulator-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

describe.skipIf(!canMount)('on a 1 MB tmpfs', () => {
  let mnt: string;
  beforeEach(() => {
    mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  });
  afterEach(() => {
    execFileSync('umount', [mnt]);
  });

  const upload = (t: Awaited<ReturnType<typeof setup>>, name: string, size: number) => {
    const form = new FormData();
    form.append('files', new File([new Uint8Array(size).fill(7)], name, { type: 'application/octet-stream' }));
    return t.call('POST', '/api/upload', { ...admin, raw: form, validate: false });
  };

  test('full: the write is refused as ENOSPC and rolled back; once space is freed the next write succeeds and a restart shows exactly what was acknowledged', async () => {
    const file = join(mnt, 'state.json');
    const t = await setup();
    const persistence = await attachPersistence(t.emulator, { file });
    const small = await upload(t, 'small.bin', 1000);
    expect(small.status, small.text).toBe(201);
    // Room for one more copy of the state as it is (plus a little), not for one holding 200 KB more.
    const free = statfsSync(mnt).bavail * statfsSync(mnt).bsize;
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(free - readFileSync(file).length - 32 * 1024));
    await quiet(async () => {
      const big = await upload(t, 'big.bin', 200 * 1024);
      expect(big.status).toBe(500);
      expect(big.headers.get('x-strapi-emulator-persistence')).toMatch(/^ENOSPC: the disk holding the state file is full;/);
      // A small change still fits: the emulator goes on with what the disk can hold.
      expect((await t.call('POST', '/_emulator/users', { json: { username: 'fits', email: 'fits@example.com', password } })).status).toBe(201);
    });
    // The log says which file, why, and that the change is gone.
    expect(logged[0]).toMatch(new RegExp(`^\\[strapi-emulator\\] persistence: ${file}\\.journal\\.\\d+: cannot be written \\(ENOSPC: no space left on device.*\\) — ENOSPC: the disk holding the state file is full; the change was rolled back`));
    expect(logged[1]).toMatch(/^\[strapi-emulator\] persistence: rolled back to the state file's last durable state/);
    const names = async () => (await t.call('GET', '/api/upload/files', admin)).body.map((f: { name: string }) => f.name);
    expect(await names()).toEqual(['small.bin']);
    expect((await t.emulator.app.request(`http://127.0.0.1:1337${small.body[0].url.replace('small', 'big')}`)).status).toBe(404);

    rmSync(join(mnt, 'filler'));
    const again = await upload(t, 'again.bin', 200 * 1024);
    expect(again.status, again.text).toBe(201);
    expect(await names()).toEqual(['small.bin', 'again.bin']);
    await persistence.close();

    const restarted = await setup();
    const back = await attachPersistence(restarted.emulator, { file });
    expect((await restarted.call('GET', '/api/upload/files', admin)).body.map((f: { name: string }) => f.name)).toEqual(['small.bin', 'again.bin']);
    expect(usernames(restarted.store.users.all())).toEqual(['fits']);
    await back.close();
  });

  test('read-only: the write is refused as EROFS and rolled back; remounted read-write, the emulator goes on', async () => {
    const file = join(mnt, 'state.json');
    const t = await setup();
    const persistence = await attachPersistence(t.emulator, { file });
    await t.register({ username: 'before' });
    // The journal's write handle closes once the writes pause (a file open for writing makes the remount "busy").
    await new Promise((r) => setTimeout(r, 300));
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    await quiet(async () => {
      const r = await t.call('POST', '/api/auth/local/register', { json: { username: 'lost', email: 'lost@example.com', password }, ip: t.ip(), validate: false });
      expect(r.status).toBe(500);
      expect(r.headers.get('x-strapi-emulator-persistence')).toBe("EROFS: the state file's file system is read-only; the change was rolled back, nothing was changed");
    });
    expect(usernames((await t.call('GET', '/api/users', admin)).body)).toEqual(['before']);
    execFileSync('mount', ['-o', 'remount,rw', mnt]);
    await t.register({ username: 'after' });
    expect(usernames((await onDisk(file)).snapshot.users.rows)).toEqual(['after', 'before']);
    await persistence.close();
  });
});

test('a refused snapshot changes neither the world nor the file: a restart shows the world before it', async () => {
  const file = join(dir, 'state.json');
  const t = await setup();
  const persistence = await attachPersistence(t.emulator, { file });
  await t.register({ username: 'ann' });
  const snapshot = (await t.call('GET', '/_emulator/snapshot')).body;
  const before = readFileSync(file, 'utf8');
  const broken = structuredClone(snapshot);
  broken.users.rows[0].password = 'plain text';
  const r = await t.call('PUT', '/_emulator/snapshot', { json: broken });
  expect(r.status).toBe(400);
  expect(r.body.error.message).toMatch(/^Not a snapshot this emulator can restore: users\.rows\[0\]\.password: must be a bcrypt hash/);
  expect(readFileSync(file, 'utf8')).toBe(before);
  await persistence.close();
  const restarted = await setup();
  const again = await attachPersistence(restarted.emulator, { file });
  expect((await restarted.call('POST', '/api/auth/local', { json: { identifier: 'ann', password }, ip: restarted.ip() })).status).toBe(200);
  await again.close();
});
