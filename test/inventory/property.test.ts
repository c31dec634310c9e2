// Property: whatever sequence of receipts, adjustments, transfers and counts goes
// through the API (rejected ones included), every quantity and value the read models,
// the alerts and the dashboard show equals a fold of the product's events.
import fc from 'fast-check';
import t from 'tap';
import { product } from '../../src/commands/product.js';
import { averageCost } from '../../src/commands/stock.js';
import { decode } from '../../src/events/index.js';
import type { ProductEvent } from '../../src/events/product.js';
import { streams } from '../../src/events/streams.js';
import { todayIn } from '../../src/queries/calendar.js';
import { ZERO, decimal, money, quantityNumber } from '../../src/events/values.js';
import { registerAccount, testApp } from '../support/app.js';
import { inventoryClient } from '../support/inventory.js';

const quantity = fc.integer({ min: 1, max: 2000 }).map((n) => n / 100);
const lot = fc.constantFrom(undefined, 'A', 'B');
const place = fc.constantFrom(0, 1);
const step = fc.oneof(
  fc.record({ kind: fc.constant('receipt' as const), at: place, quantity, unitCost: fc.integer({ min: 1, max: 5000 }).map((c) => (c / 100).toFixed(2)), lot }),
  fc.record({ kind: fc.constant('adjust' as const), at: place, delta: fc.integer({ min: -1500, max: 1500 }).filter((n) => n !== 0).map((n) => n / 100) }),
  fc.record({ kind: fc.constant('transfer' as const), from: place, quantity, mode: fc.constantFrom('immediate', 'ship') }),
  fc.record({ kind: fc.constant('arrive' as const), quantity: fc.option(quantity) }),
  fc.record({ kind: fc.constant('count' as const), at: place, counted: fc.integer({ min: 0, max: 2000 }).map((n) => n / 100), lot }),
);
// Lot A expired long ago, lot B expires far in the future.
const expiryOf = (l: string | undefined) => (l === 'A' ? '2020-01-01' : l === 'B' ? '2099-12-31' : undefined);

t.test('read models, alerts and dashboard equal a fold over the events', async (t) => {
  const { app, system } = await testApp(t);
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const account = await registerAccount(app);
      const api = inventoryClient(app, account);
      const locations = [await api.location('One'), await api.location('Two')];
      const id = await api.product({ cost: '1.00', minThreshold: 5 });
      const shipments: string[] = [];
      for (const s of steps) {
        if (s.kind === 'receipt') {
          await api.post(`/products/${id}/receipts`, { locationId: locations[s.at], quantity: s.quantity, unitCost: s.unitCost, ...(s.lot ? { lot: s.lot, expiresOn: expiryOf(s.lot) } : {}) });
        } else if (s.kind === 'adjust') {
          await api.post(`/products/${id}/adjustments`, { locationId: locations[s.at], quantityDelta: s.delta, reason: s.delta > 0 ? 'found' : 'lost' });
        } else if (s.kind === 'transfer') {
          const res = await api.post<{ transferId: string }>(`/products/${id}/transfers`, { fromLocationId: locations[s.from], toLocationId: locations[1 - s.from], quantity: s.quantity, mode: s.mode });
          if (res.status === 201 && s.mode === 'ship') shipments.push(res.body.transferId);
        } else if (s.kind === 'arrive') {
          if (shipments.length) await api.post(`/products/${id}/transfers/${shipments[0]}/receipts`, s.quantity === null ? {} : { quantity: s.quantity });
        } else {
          await api.post(`/products/${id}/counts`, { locationId: locations[s.at], countedQuantity: s.counted, ...(s.lot ? { lot: s.lot } : {}) });
        }
      }

      const events = (await system.store.readStream(streams.product(account.tenantId, id))).map((r) => decode(r) as unknown as ProductEvent);
      const folded = events.reduce(product.evolve, product.initialState);
      if (folded.status === 'none') throw new Error('no product');
      const lines = Object.entries(folded.onHand).flatMap(([locationId, lots]) => Object.entries(lots).map(([key, q]) => ({ locationId, lot: key || null, quantity: decimal(q) })));
      const onHand = lines.reduce((sum, l) => sum.plus(l.quantity), ZERO);
      const owned = decimal(folded.valuation.owned);
      const cost = averageCost(folded.valuation, folded.cost);
      if (lines.some((l) => l.quantity.lt(0))) throw new Error('stock went negative');

      const view = (await api.get<Record<string, unknown>>(`/products/${id}`)).body;
      t.match(view, {
        quantity: quantityNumber(onHand),
        inTransit: quantityNumber(owned.minus(onHand)),
        value: money(decimal(folded.valuation.value)),
        averageCost: cost.toString(),
        isLowStock: onHand.lte(5),
      });
      const stock = (await api.get<{ lines: { locationId: string; lot: string | null; quantity: number; value: string }[] }>(`/products/${id}/stock`)).body.lines;
      const key = (l: { locationId: string; lot: string | null }) => `${l.locationId}/${l.lot ?? ''}`;
      t.same(
        Object.fromEntries(stock.map((l) => [key(l), [l.quantity, l.value]])),
        Object.fromEntries(lines.map((l) => [key(l), [quantityNumber(l.quantity), money(l.quantity.times(cost))]])),
        'stock per location and lot',
      );

      // A lot's expiry is whatever its first movement recorded (a count can create lot A without one).
      const today = todayIn('UTC');
      const isExpired = (lot: string | null) => lot !== null && (folded.expiry[lot] ?? '9999-12-31') <= today;
      const expired = lines.filter((l) => isExpired(l.lot)).reduce((sum, l) => sum.plus(l.quantity), ZERO);
      const dashboard = (await api.get<{ counts: Record<string, number>; stock: { totalStock: number }; financial: Record<string, string> }>('/dashboard')).body;
      t.same(dashboard.stock.totalStock, quantityNumber(onHand));
      t.same(dashboard.counts, { totalProducts: 1, totalCategories: 0, lowStock: onHand.lte(5) ? 1 : 0, expiredProducts: expired.gt(0) ? 1 : 0 });
      const expiredValue = expired.times(cost);
      t.same(dashboard.financial, {
        totalInventoryValue: money(decimal(folded.valuation.value)),
        expiredInventoryValue: money(expiredValue),
        realInventoryValue: money(decimal(folded.valuation.value).minus(expiredValue)),
      });
      const alerts = (await api.get<{ expired: { quantity: number }[]; lowStock: unknown[] }>('/alerts')).body;
      const alerted = alerts.expired.reduce((sum, a) => sum.plus(String(a.quantity)), ZERO);
      t.same(quantityNumber(alerted), quantityNumber(expired), 'expired alerts');
      t.equal(alerts.lowStock.length, onHand.lte(5) ? 1 : 0, 'low-stock alerts');
      return !t.passing() ? false : true;
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 12), endOnFailure: true },
  );
});
