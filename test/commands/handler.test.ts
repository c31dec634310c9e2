// The command handler loop against a real store, with two handlers standing in for two
// processes whose caches go stale behind each other's backs.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { AggregateHandler } from '../../src/commands/handler.js';
import { product } from '../../src/commands/product.js';
import { DomainError } from '../../src/commands/errors.js';
import { PostgresEventStore } from '../../src/eventstore/postgres.js';
import { PostgresSnapshotStore, type SnapshotStore } from '../../src/eventstore/snapshots.js';
import { testDatabase } from '../support/db.js';
import type { Test } from '../support/tap.js';

async function productStream(t: Test) {
  const { connection } = await testDatabase(t);
  const store = new PostgresEventStore(connection.pool);
  await store.migrate();
  const snapshots = new PostgresSnapshotStore(connection.pool);
  await snapshots.migrate();
  return { store, snapshots, stream: `${ctx.tenantId}:product-${randomUUID()}` };
}

/** Records each read of a stream: which, and from which revision. */
function readsOf(store: PostgresEventStore): { stream: string; from: bigint }[] {
  const reads: { stream: string; from: bigint }[] = [];
  const readStream = store.readStream.bind(store);
  store.readStream = (stream, options) => (reads.push({ stream, from: options?.fromRevision ?? 0n }), readStream(stream, options));
  return reads;
}

const ctx = { tenantId: randomUUID(), actorId: randomUUID(), correlationId: 'c', causationId: 'c', now: new Date('2026-01-01T00:00:00Z') };
const create = { type: 'CreateProduct' as const, data: { productId: randomUUID(), sku: 'S', name: 'S', description: null, categoryId: null, price: '1', cost: '1', unit: 'each', barcode: null, minThreshold: '0', tracksExpiry: false } };
const receive = (quantity: string) => ({ type: 'ReceiveStock' as const, data: { locationId: ctx.tenantId, quantity, unitCost: '1', lot: null, expiresOn: null } });

t.test('a stale cache catches up on conflict and never loses a write', async (t) => {
  const { store, stream } = await productStream(t);
  const a = new AggregateHandler(store, product);
  const b = new AggregateHandler(store, product);
  await a.handle(stream, create, ctx);
  await a.handle(stream, receive('1'), ctx); // a caches revision 1
  await b.handle(stream, receive('2'), ctx); // b writes revision 2 behind a's back
  const result = await a.handle(stream, receive('4'), ctx); // a's cache is stale: conflict, reload, retry
  t.equal(result.revision, 3n);
  t.same(result.state.status === 'active' && result.state.onHand, { [ctx.tenantId]: { '': '7' } }, 'all three receipts counted');
  t.equal((await store.readStream(stream)).length, 4);
});

t.test('concurrent commands on one stream all land, in some order', async (t) => {
  const { store, stream } = await productStream(t);
  const handlers = [new AggregateHandler(store, product), new AggregateHandler(store, product)];
  await handlers[0]!.handle(stream, create, ctx);
  await Promise.all(Array.from({ length: 4 }, (_, i) => handlers[i % 2]!.handle(stream, receive('1'), ctx)));
  const { state } = await handlers[0]!.load(stream);
  t.same(state.status === 'active' && state.onHand, { [ctx.tenantId]: { '': '4' } });
});

t.test('a rejected command appends nothing', async (t) => {
  const { store, stream } = await productStream(t);
  const handler = new AggregateHandler(store, product);
  const error = await handler.handle(stream, receive('1'), ctx).catch((e: unknown) => e);
  t.type(error, DomainError);
  t.equal((error as DomainError).code, 'not-found');
  t.equal((await store.readStream(stream)).length, 0, 'nothing appended');
});

t.test('a new stream is written without a read, and still cannot be written twice', async (t) => {
  const { store, stream } = await productStream(t);
  const reads = readsOf(store);
  const handler = new AggregateHandler(store, product);
  const created = await handler.handle(stream, create, ctx, { newStream: true });
  t.equal(created.revision, 0n);
  t.same(reads, [], 'no read: the id was just generated');

  // Were the id not new after all, the append expects no stream and the decider sees the truth.
  const other = new AggregateHandler(store, product);
  const error = await other.handle(stream, create, ctx, { newStream: true }).catch((e: unknown) => e);
  t.equal((error as DomainError).code, 'already-exists');
  t.same(reads, [{ stream, from: 0n }], 'it read the stream once it was told it exists');
  t.equal((await store.readStream(stream)).length, 1, 'nothing appended twice');
});

t.test('a cold load starts from the latest snapshot, and a snapshot is only a cache', async (t) => {
  const { store, snapshots, stream } = await productStream(t);
  const writer = new AggregateHandler(store, product, { snapshots, snapshotEvery: 10 });
  await writer.handle(stream, create, ctx);
  for (let i = 0; i < 24; i++) await writer.handle(stream, receive('1.5'), ctx);
  // Snapshots are written in the background: at revisions 9 and 19.
  while ((await snapshots.read(stream, product.snapshot!.version))?.revision !== 19n) await new Promise((r) => setTimeout(r, 10));
  const truth = await new AggregateHandler(store, product).load(stream);

  const reads = readsOf(store);
  const cold = await new AggregateHandler(store, product, { snapshots }).load(stream);
  t.same(reads, [{ stream, from: 20n }], 'only the events after the snapshot were read');
  t.equal(cold.revision, 24n);
  t.same(product.snapshot!.encode(cold.state), product.snapshot!.encode(truth.state), 'the same state as folding every event');

  t.equal(await snapshots.read(stream, product.snapshot!.version + 1), null, 'a snapshot of another shape is not used');
  const broken: SnapshotStore = { read: () => Promise.reject(new Error('down')), write: () => Promise.reject(new Error('down')) };
  const fallback = await new AggregateHandler(store, product, { snapshots: broken }).handle(stream, receive('1'), ctx);
  t.same(reads.slice(1), [{ stream, from: 0n }], 'without its snapshots a load reads the whole stream');
  t.same(fallback.state.status === 'active' && fallback.state.onHand, { [ctx.tenantId]: { '': '37' } }, 'and the command still lands');
});
