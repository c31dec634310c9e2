// The catalog service against a real store: what only shows across several streams
// (a race between two moves, a claim left behind by a crash).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createCatalogCommands } from '../../src/commands/catalog-service.js';
import { category } from '../../src/commands/category.js';
import { AggregateHandler } from '../../src/commands/handler.js';
import { DomainError } from '../../src/commands/errors.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { PostgresEventStore } from '../../src/eventstore/postgres.js';
import { streams } from '../../src/events/streams.js';
import { testDatabase } from '../support/db.js';

// A under B and B under A are each fine alone but close a loop together. Appends are
// slowed down so that, unless moves are decided one at a time, both walks would finish
// before either move is written.
t.test('concurrent moves in one tenant cannot close a cycle', async (t) => {
  const { connection } = await testDatabase(t);
  const store = new PostgresEventStore(connection.pool);
  await store.migrate();
  t.teardown(() => store.close());
  const slow = new Proxy(store, {
    get(target, prop) {
      if (prop === 'append')
        return async (...args: Parameters<EventStore['append']>) => {
          await sleep(50);
          return target.append(...args);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const commands = createCatalogCommands(slow);
  const ctx = { tenantId: randomUUID(), actorId: randomUUID(), correlationId: 'c', causationId: 'c', now: new Date() };
  const a = (await commands.createLocation(ctx, { name: 'A', parentId: null })).id;
  const b = (await commands.createLocation(ctx, { name: 'B', parentId: null })).id;

  const outcomes = await Promise.allSettled([commands.moveLocation(ctx, a, b, null), commands.moveLocation(ctx, b, a, null)]);
  t.same(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
  const refused = outcomes.find((o) => o.status === 'rejected')?.reason as unknown;
  t.type(refused, DomainError);
  t.equal((refused as DomainError).code, 'location-cycle');

  const parents = await Promise.all([a, b].map(async (id) => (await store.readStream(streams.location(ctx.tenantId, id))).length));
  t.same(parents.sort(), [1, 2], 'one move was written, the other nothing');
});

t.test('a move to the parent it already has appends nothing and answers the last position', async (t) => {
  const { connection } = await testDatabase(t);
  const store = new PostgresEventStore(connection.pool);
  await store.migrate();
  t.teardown(() => store.close());
  const commands = createCatalogCommands(store);
  const ctx = { tenantId: randomUUID(), actorId: randomUUID(), correlationId: 'c', causationId: 'c', now: new Date() };
  const root = (await commands.createLocation(ctx, { name: 'Root', parentId: null })).id;
  const leaf = (await commands.createLocation(ctx, { name: 'Leaf', parentId: null })).id;
  const moved = await commands.moveLocation(ctx, leaf, root, 0);
  t.equal(moved.revision, 1n);
  const again = await commands.moveLocation(ctx, leaf, root, 1);
  t.equal(again.revision, 1n);
  t.same(again.position, moved.position);
  t.equal((await store.readStream(streams.location(ctx.tenantId, leaf))).length, 2);
});

t.test('a name still held by an archived category (a crash before the release) is taken over', async (t) => {
  const { connection } = await testDatabase(t);
  const store = new PostgresEventStore(connection.pool);
  await store.migrate();
  t.teardown(() => store.close());
  const commands = createCatalogCommands(store);
  const ctx = { tenantId: randomUUID(), actorId: randomUUID(), correlationId: 'c', causationId: 'c', now: new Date() };
  const first = (await commands.createCategory(ctx, { name: 'Tools', parentId: null })).id;
  const live = (await commands.createCategory(ctx, { name: 'Paint', parentId: null })).id;
  // Archived, but the process died before the name was released.
  await new AggregateHandler(store, category).handle(streams.category(ctx.tenantId, first), { type: 'ArchiveCategory', data: { expectedRevision: null } }, ctx);

  const second = await commands.createCategory(ctx, { name: 'tools', parentId: null });
  const claims = await store.readStream(streams.categoryName(ctx.tenantId, 'Tools'));
  t.same(claims.map((e) => [e.type, (e.data as { categoryId: string }).categoryId]), [
    ['CategoryNameReserved', first],
    ['CategoryNameReserved', second.id],
  ]);
  const taken = await commands.createCategory(ctx, { name: 'PAINT', parentId: null }).catch((e: unknown) => e);
  t.match(taken, { code: 'category-name-taken', details: { categoryId: live } }, "a live holder's name is not taken over");
});
