import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sale, type SaleCommand } from '../../src/commands/sale.js';
import { SaleCompleted, SaleRejected, SaleReturned, SaleStarted, SaleVoided } from '../../src/events/sale.js';
import { spec } from '../support/spec.js';

const saleId = randomUUID();
const shop = randomUUID();
const [hammer, nails] = [randomUUID(), randomUUID()];
const started = SaleStarted.of({
  saleId,
  customerId: null,
  locationId: shop,
  lines: [
    { line: 0, productId: hammer, quantity: '3', unitPrice: '25' },
    { line: 1, productId: nails, quantity: '200', unitPrice: '0.08' },
  ],
  total: '91',
});
const lots = (quantity: string) => [{ lot: null, expiresOn: null, quantity }];
const completed = SaleCompleted.of({
  saleId,
  lines: [
    { line: 0, productId: hammer, lots: lots('3'), cost: '30' },
    { line: 1, productId: nails, lots: lots('200'), cost: '4' },
  ],
  revenue: '91',
  cost: '34',
});
const returnId = randomUUID();
const ret = (items: { productId: string; quantity: string }[], restock = true): SaleCommand => ({ type: 'ReturnItems', data: { returnId, restock, locationId: shop, items } });
const { given } = spec(sale);

t.test('a sale starts once, with its total', async (t) => {
  given([])
    .when({ type: 'StartSale', data: { saleId, customerId: null, locationId: shop, lines: [{ productId: hammer, quantity: '3', unitPrice: '25' }, { productId: nails, quantity: '200', unitPrice: '0.08' }] } })
    .then(t, [started]);
  given([started]).when({ type: 'StartSale', data: { saleId, customerId: null, locationId: shop, lines: [] } }).thenThrows(t, 'already-exists');
});

t.test('it ends once: completed or rejected; a repeated step records nothing', async (t) => {
  given([started]).when({ type: 'CompleteSale', data: { lines: completed.data.lines } }).then(t, [completed]);
  given([started, completed]).when({ type: 'CompleteSale', data: { lines: completed.data.lines } }).then(t, []);
  const shortLines = [{ line: 1, productId: nails, requested: '200', available: '5' }];
  given([started]).when({ type: 'RejectSale', data: { shortLines } }).then(t, [SaleRejected.of({ saleId, shortLines })]);
  given([started, completed]).when({ type: 'RejectSale', data: { shortLines } }).then(t, [], );
  given([]).when({ type: 'CompleteSale', data: { lines: [] } }).thenThrows(t, 'not-found');
});

t.test('returns: at most what was sold and not yet returned, refunded at the sale price, at the cost it left with', async (t) => {
  given([started, completed])
    .when(ret([{ productId: hammer, quantity: '1' }]))
    .then(t, [SaleReturned.of({ saleId, returnId, restock: true, locationId: shop, lines: [{ line: 0, productId: hammer, quantity: '1', refund: '25', cost: '10' }] })]);
  const first = SaleReturned.of({ saleId, returnId, restock: true, locationId: shop, lines: [{ line: 0, productId: hammer, quantity: '2', refund: '50', cost: '20' }] });
  given([started, completed, first]).when(ret([{ productId: hammer, quantity: '2' }])).thenThrows(t, 'return-exceeds-sale', { productId: hammer, returnable: 1 });
  given([started, completed]).when(ret([{ productId: randomUUID(), quantity: '1' }])).thenThrows(t, 'return-exceeds-sale', { returnable: 0 });
  given([started, completed]).when(ret([{ productId: hammer, quantity: '0' }])).thenThrows(t, 'invalid-quantity');
  given([started]).when(ret([{ productId: hammer, quantity: '1' }])).thenThrows(t, 'sale-not-completed', { status: 'pending' });
});

t.test('a void gives back what was not yet returned, once', async (t) => {
  const returned = SaleReturned.of({ saleId, returnId, restock: false, locationId: shop, lines: [{ line: 0, productId: hammer, quantity: '1', refund: '25', cost: '10' }] });
  const voidId = randomUUID();
  const voided = SaleVoided.of({
    saleId,
    returnId: voidId,
    lines: [
      { line: 0, productId: hammer, quantity: '2', refund: '50', cost: '20' },
      { line: 1, productId: nails, quantity: '200', refund: '16', cost: '4' },
    ],
  });
  given([started, completed, returned]).when({ type: 'VoidSale', data: { returnId: voidId } }).then(t, [voided]);
  given([started, completed, returned, voided]).when({ type: 'VoidSale', data: { returnId: voidId } }).then(t, []);
  given([started, completed, returned, voided]).when(ret([{ productId: nails, quantity: '1' }])).thenThrows(t, 'sale-not-completed', { status: 'voided' });
  given([started, SaleRejected.of({ saleId, shortLines: [] })]).when({ type: 'VoidSale', data: { returnId: voidId } }).thenThrows(t, 'sale-not-completed');
});
