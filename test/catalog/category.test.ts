import { randomUUID } from 'node:crypto';
import t from 'tap';
import { category, categoryName, type CategoryCommand } from '../../src/commands/category.js';
import {
  CategoryArchived,
  CategoryCreated,
  CategoryNameReleased,
  CategoryNameReserved,
  CategoryRenamed,
} from '../../src/events/category.js';
import { normalizeCategoryName, streams } from '../../src/events/streams.js';
import { spec } from '../support/spec.js';

const categoryId = randomUUID();
const parentId = randomUUID();
const created = CategoryCreated.of({ categoryId, name: 'Tools', parentId: null });
const renamed = CategoryRenamed.of({ categoryId, name: 'Hand tools' });
const archived = CategoryArchived.of({ categoryId });
const create = (data: Partial<Extract<CategoryCommand, { type: 'CreateCategory' }>['data']> = {}): CategoryCommand => ({
  type: 'CreateCategory',
  data: { categoryId, name: 'Tools', parentId: null, ...data },
});
const rename = (name: string, expectedRevision: number | null = null): CategoryCommand => ({ type: 'RenameCategory', data: { name, expectedRevision } });
const archive = (expectedRevision: number | null = null): CategoryCommand => ({ type: 'ArchiveCategory', data: { expectedRevision } });
const { given } = spec(category);

t.test('a category is created once', async (t) => {
  given([]).when(create()).then(t, [created]);
  given([created]).when(create()).thenThrows(t, 'already-exists');
});

t.test('a sub-category needs an active parent of the same tenant', async (t) => {
  const child = create({ name: 'Saws', parentId });
  given([])
    .when(create({ name: 'Saws', parentId, parent: { categoryId: parentId, status: 'active' } }))
    .then(t, [CategoryCreated.of({ categoryId, name: 'Saws', parentId })]);
  given([]).when(child).thenThrows(t, 'unknown-category', { categoryId: parentId });
  given([])
    .when(create({ parentId, parent: { categoryId: parentId, status: 'none' } }))
    .thenThrows(t, 'unknown-category', { categoryId: parentId });
  given([])
    .when(create({ parentId, parent: { categoryId: randomUUID(), status: 'active' } }))
    .thenThrows(t, 'unknown-category'); // facts about another category do not vouch for this parent
  given([])
    .when(create({ parentId, parent: { categoryId: parentId, status: 'archived' } }))
    .thenThrows(t, 'parent-archived', { parentId });
});

t.test('a rename records the new name; the same name changes nothing', async (t) => {
  given([created]).when(rename('Hand tools')).then(t, [renamed]);
  given([created]).when(rename('Tools')).then(t, []);
  given([]).when(rename('Tools')).thenThrows(t, 'not-found');
  given([created, archived]).when(rename('Other')).thenThrows(t, 'category-archived');
});

t.test('If-Match: the revision the client read must still be the stream revision', async (t) => {
  given([created]).when(rename('Hand tools', 0)).then(t, [renamed]);
  given([created, renamed]).when(rename('Saws', 0)).thenThrows(t, 'precondition-failed', { revision: 1 });
  given([created, renamed]).when(archive(1)).then(t, [archived]);
  given([created]).when(archive(3)).thenThrows(t, 'precondition-failed', { revision: 0 });
  given([]).when(archive(0)).thenThrows(t, 'not-found'); // a 404 before any precondition
});

t.test('archiving keeps the category and is idempotent', async (t) => {
  given([created]).when(archive()).then(t, [archived]);
  given([created, archived]).when(archive()).then(t, []);
  given([]).when(archive()).thenThrows(t, 'not-found');
  const s = [created, renamed, archived].reduce(category.evolve, category.initialState);
  t.same(s, { status: 'archived', categoryId, name: 'Hand tools', parentId: null, revision: 2 });
});

t.test('a category name is held by one category at a time', async (t) => {
  const names = spec(categoryName);
  const other = randomUUID();
  const reserved = CategoryNameReserved.of({ name: 'Tools', categoryId });
  names.given([]).when({ type: 'ReserveCategoryName', data: { name: 'Tools', categoryId } }).then(t, [reserved]);
  names
    .given([reserved])
    .when({ type: 'ReserveCategoryName', data: { name: 'tools', categoryId: other } })
    .thenThrows(t, 'category-name-taken', { name: 'tools', categoryId });
  names.given([reserved]).when({ type: 'ReserveCategoryName', data: { name: 'Tools', categoryId } }).then(t, []); // a retry is a no-op
  names
    .given([reserved])
    .when({ type: 'ReserveCategoryName', data: { name: 'TOOLS', categoryId: other, supersedes: categoryId } })
    .then(t, [CategoryNameReserved.of({ name: 'TOOLS', categoryId: other })]); // a stale claim (archived holder) is taken over
  names
    .given([reserved])
    .when({ type: 'ReserveCategoryName', data: { name: 'Tools', categoryId: other, supersedes: randomUUID() } })
    .thenThrows(t, 'category-name-taken'); // superseding someone else is no licence
});

t.test('only the holder releases a name, and a released name is free again', async (t) => {
  const names = spec(categoryName);
  const reserved = CategoryNameReserved.of({ name: 'Tools', categoryId });
  const released = CategoryNameReleased.of({ name: 'Tools', categoryId });
  names.given([reserved]).when({ type: 'ReleaseCategoryName', data: { categoryId } }).then(t, [released]);
  names.given([reserved]).when({ type: 'ReleaseCategoryName', data: { categoryId: randomUUID() } }).then(t, []);
  names.given([]).when({ type: 'ReleaseCategoryName', data: { categoryId } }).then(t, []);
  const other = randomUUID();
  names
    .given([reserved, released])
    .when({ type: 'ReserveCategoryName', data: { name: 'Tools', categoryId: other } })
    .then(t, [CategoryNameReserved.of({ name: 'Tools', categoryId: other })]);
});

t.test('names compare without case, edge spaces or repeated spaces; tenants apart', async (t) => {
  const tenant = randomUUID();
  t.equal(normalizeCategoryName('  Power   Tools '), 'power tools');
  t.equal(streams.categoryName(tenant, 'Power Tools'), streams.categoryName(tenant, ' power  TOOLS'));
  t.not(streams.categoryName(tenant, 'Tools'), streams.categoryName(randomUUID(), 'Tools'));
  t.match(streams.categoryName(tenant, 'a/b:c'), new RegExp(`^${tenant}:category-name-[0-9a-f]{64}$`));
});
