import { randomUUID } from 'node:crypto';
import t from 'tap';
import { location, type LocationCommand, type ParentLocation } from '../../src/commands/location.js';
import { LocationArchived, LocationCreated, LocationMoved, LocationRenamed } from '../../src/events/location.js';
import { spec } from '../support/spec.js';

// The tree: warehouse > aisle > shelf (this location) > bin; and a separate yard.
const warehouse = randomUUID();
const aisle = randomUUID();
const shelf = randomUUID();
const bin = randomUUID();
const yard = randomUUID();

const created = LocationCreated.of({ locationId: shelf, name: 'Shelf A', parentId: aisle });
const renamed = LocationRenamed.of({ locationId: shelf, name: 'Shelf B' });
const archived = LocationArchived.of({ locationId: shelf });

const facts = (locationId: string, ancestorIds: string[], status: ParentLocation['status'] = 'active'): ParentLocation => ({
  locationId,
  status,
  ancestorIds,
});
const move = (parentId: string | null, parent?: ParentLocation, expectedRevision: number | null = null): LocationCommand => ({
  type: 'ReviseLocation',
  data: { move: { parentId, ...(parent ? { parent } : {}) }, expectedRevision },
});
const rename = (name: string, expectedRevision: number | null = null): LocationCommand => ({ type: 'ReviseLocation', data: { name, expectedRevision } });
const archive = (isDefault = false, expectedRevision: number | null = null): LocationCommand => ({
  type: 'ArchiveLocation',
  data: { isDefault, expectedRevision },
});
const { given } = spec(location);

t.test('a location is created once, as a root or under an active parent', async (t) => {
  const root = { locationId: warehouse, name: 'Warehouse', parentId: null };
  given([]).when({ type: 'CreateLocation', data: root }).then(t, [LocationCreated.of(root)]);
  given([LocationCreated.of(root)]).when({ type: 'CreateLocation', data: root }).thenThrows(t, 'already-exists');
  const child = { locationId: shelf, name: 'Shelf A', parentId: aisle };
  given([]).when({ type: 'CreateLocation', data: { ...child, parent: facts(aisle, [warehouse]) } }).then(t, [created]);
  given([]).when({ type: 'CreateLocation', data: child }).thenThrows(t, 'unknown-location', { locationId: aisle });
  given([]).when({ type: 'CreateLocation', data: { ...child, parent: facts(aisle, [], 'none') } }).thenThrows(t, 'unknown-location');
  given([]).when({ type: 'CreateLocation', data: { ...child, parent: facts(aisle, [], 'archived') } }).thenThrows(t, 'parent-archived', { parentId: aisle });
});

t.test('a rename records the new name; the same name changes nothing', async (t) => {
  given([created]).when(rename('Shelf B')).then(t, [renamed]);
  given([created]).when(rename('Shelf A')).then(t, []);
  given([]).when(rename('Shelf B')).thenThrows(t, 'not-found');
  given([created, archived]).when(rename('Shelf B')).thenThrows(t, 'location-archived');
});

t.test('a move names the new parent and the one it left', async (t) => {
  given([created])
    .when(move(yard, facts(yard, [])))
    .then(t, [LocationMoved.of({ locationId: shelf, parentId: yard, previousParentId: aisle })]);
  given([created]).when(move(null)).then(t, [LocationMoved.of({ locationId: shelf, parentId: null, previousParentId: aisle })]);
  given([created]).when(move(aisle, facts(aisle, [warehouse]))).then(t, []);
  given([created, archived]).when(move(yard, facts(yard, []))).thenThrows(t, 'location-archived');
});

t.test('a move may not close a cycle', async (t) => {
  given([created]).when(move(shelf, facts(shelf, [aisle, warehouse]))).thenThrows(t, 'location-cycle', { locationId: shelf, parentId: shelf });
  given([created]).when(move(bin, facts(bin, [shelf, aisle, warehouse]))).thenThrows(t, 'location-cycle', { locationId: shelf, parentId: bin });
  const root = LocationCreated.of({ locationId: warehouse, name: 'Warehouse', parentId: null });
  given([root]).when(move(bin, facts(bin, [shelf, aisle, warehouse]))).thenThrows(t, 'location-cycle');
});

t.test('a move needs an existing, active parent', async (t) => {
  given([created]).when(move(yard)).thenThrows(t, 'unknown-location', { locationId: yard });
  given([created]).when(move(yard, facts(yard, [], 'none'))).thenThrows(t, 'unknown-location');
  given([created]).when(move(yard, facts(randomUUID(), []))).thenThrows(t, 'unknown-location');
  given([created]).when(move(yard, facts(yard, [], 'archived'))).thenThrows(t, 'parent-archived', { parentId: yard });
});

t.test('a rename and a move are decided together, or not at all', async (t) => {
  const both: LocationCommand = { type: 'ReviseLocation', data: { name: 'Shelf B', move: { parentId: yard, parent: facts(yard, []) } } };
  given([created]).when(both).then(t, [renamed, LocationMoved.of({ locationId: shelf, parentId: yard, previousParentId: aisle })]);
  const blocked: LocationCommand = { type: 'ReviseLocation', data: { name: 'Shelf B', move: { parentId: bin, parent: facts(bin, [shelf]) } } };
  given([created]).when(blocked).thenThrows(t, 'location-cycle');
});

t.test('If-Match: the revision the client read must still be the stream revision', async (t) => {
  given([created]).when(rename('Shelf B', 0)).then(t, [renamed]);
  given([created, renamed]).when(rename('Shelf C', 0)).thenThrows(t, 'precondition-failed', { revision: 1 });
  given([created, renamed]).when(move(null, undefined, 0)).thenThrows(t, 'precondition-failed', { revision: 1 });
  given([created, renamed]).when(archive(false, 0)).thenThrows(t, 'precondition-failed', { revision: 1 });
  given([created, renamed]).when(archive(false, 1)).then(t, [archived]);
  given([]).when(rename('x', 0)).thenThrows(t, 'not-found');
});

t.test("archiving keeps the location, is idempotent, and spares the company's default", async (t) => {
  given([created]).when(archive()).then(t, [archived]);
  given([created, archived]).when(archive()).then(t, []);
  given([created]).when(archive(true)).thenThrows(t, 'location-is-default');
  given([]).when(archive()).thenThrows(t, 'not-found');
});

t.test('the state follows every event, revision included', async (t) => {
  const moved = LocationMoved.of({ locationId: shelf, parentId: yard, previousParentId: aisle });
  const s = [created, renamed, moved, archived].reduce(location.evolve, location.initialState);
  t.same(s, { status: 'archived', locationId: shelf, name: 'Shelf B', parentId: yard, revision: 3 });
});
