// What @msw/data itself costs, beside the emulator's tables (issue 15: "where @msw/data is the
// cost, measure and say so"): `npx tsx --expose-gc bench/msw-data.ts [rows]` (default 200k, the
// rows of 100k v5 documents). One Collection holding every row, as the tables did before they
// were cut into shards, against one shard of 512 rows (store/table.ts), and the memory a row
// takes in a Collection against a plain frozen object.
import { Collection } from '@msw/data';
import * as z from 'zod/mini';

const rowSchema = z.looseObject({ id: z.int(), documentId: z.string(), createdAt: z.string(), updatedAt: z.string(), publishedAt: z.nullable(z.string()) });
const N = Number(process.argv[2] ?? 200_000);
const SHARD = 512;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc: npx tsx --expose-gc bench/msw-data.ts');
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const rows = Array.from({ length: N }, (_, i) => ({ id: i + 1, documentId: i.toString(36).padStart(24, '0'), title: `Article ${i}`, body: `Body of article ${i}`, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', publishedAt: null, locale: null }));
const out = (what: string, value: string) => console.log(`${what.padEnd(58)} ${value}`);

let h = heap();
const plain = rows.map((r) => Object.freeze({ ...r }));
out('plain frozen copy of a row (strings shared)', `${((heap() - h) / N).toFixed(0)} B`);
h = heap();
const big = new Collection({ schema: rowSchema });
let t = performance.now();
for (const r of rows) await big.create(r);
out(`Collection.create, ${N.toLocaleString('en-US')} rows`, `${(((performance.now() - t) * 1000) / N).toFixed(2)} µs a row`);
out('a row in a Collection (record, UUID primary key, relation Map)', `${((heap() - h) / N).toFixed(0)} B`);
const timed = async (what: string, fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  out(what, `${(performance.now() - t0).toFixed(3)} ms`);
};
await timed(`update of the last row, one Collection of ${N.toLocaleString('en-US')}`, () => big.update(big.all()[N - 1] as never, { data: (d: { title: string }) => void (d.title = 'x') } as never));
await timed(`delete of the last row, one Collection of ${N.toLocaleString('en-US')}`, () => big.delete(big.all()[N - 1] as never));
const shard = new Collection({ schema: rowSchema });
for (const r of rows.slice(0, SHARD)) await shard.create(r);
await timed(`update of the last row, one shard of ${SHARD}`, () => shard.update(shard.all()[SHARD - 1] as never, { data: (d: { title: string }) => void (d.title = 'x') } as never));
await timed(`delete of the last row, one shard of ${SHARD}`, () => shard.delete(shard.all()[SHARD - 1] as never));
t = performance.now();
for (let i = 0; i < 10_000; i++) rowSchema['~standard'].validate(rows[i]);
out('the schema check alone (zod)', `${(((performance.now() - t) * 1000) / 10_000).toFixed(2)} µs a row`);
void plain.length;
