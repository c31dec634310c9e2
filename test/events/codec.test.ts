import { randomUUID } from 'node:crypto';
import t from 'tap';
import { decode, encode } from '../../src/events/index.js';
import { ProductCreated } from '../../src/events/product.js';
import type { RecordedEvent } from '../../src/eventstore/port.js';

const metadata = {
  tenantId: randomUUID(),
  actorId: randomUUID(),
  correlationId: 'req-1',
  causationId: 'req-1',
  occurredAt: '2026-01-02T03:04:05.000Z',
};

const recorded = (type: string, data: unknown, schemaVersion: number): RecordedEvent => ({
  id: randomUUID(),
  stream: `${metadata.tenantId}:product-x`,
  revision: 0n,
  position: { commit: 1n, prepare: 1n },
  type,
  data,
  metadata: { ...metadata, schemaVersion },
  recordedAt: new Date(),
});

t.test('an old ProductCreated (schema v1) is read as the current shape', async (t) => {
  const productId = randomUUID();
  const v1 = {
    productId,
    sku: 'OLD-1',
    name: 'Legacy widget',
    description: null,
    categoryId: null,
    price: '10',
    cost: '4',
    unit: 'each',
    barcode: null,
    minimumStock: '7',
  };
  const event = decode(recorded('ProductCreated', v1, 1));
  t.equal(event?.type, 'ProductCreated');
  t.match(event?.data, { productId, minThreshold: '7', tracksExpiry: false });
  t.notOk(event && 'minimumStock' in event.data, 'the old field is gone');
  t.equal(event?.metadata.schemaVersion, 2, 'read as the current version');
});

t.test('encode stamps the current schema version and validates the data', async (t) => {
  const event = ProductCreated.of({
    productId: randomUUID(),
    sku: 'A',
    name: 'A',
    description: null,
    categoryId: null,
    price: '1.50',
    cost: '0.5',
    unit: 'each',
    barcode: null,
    minThreshold: '0',
    tracksExpiry: false,
  });
  const encoded = encode(event, randomUUID(), metadata);
  t.equal(encoded.metadata.schemaVersion, 2);
  t.equal((encoded.data as { price: string }).price, '1.5', 'decimals are canonical strings');
  t.throws(
    () => encode({ ...event, data: { ...event.data, price: 'ten' } }, randomUUID(), metadata),
    'invalid data never reaches the log',
  );
});

t.test('unknown event types decode to null; a known type that does not parse throws', async (t) => {
  t.equal(decode(recorded('$metadata', {}, 1)), null);
  t.throws(() => decode(recorded('StockReceived', { quantity: 'lots' }, 1)));
});
