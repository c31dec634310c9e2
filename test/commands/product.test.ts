import { randomUUID } from 'node:crypto';
import t from 'tap';
import { v7 as uuidv7 } from 'uuid';
import { product, type ProductCommand, type ProductDetails } from '../../src/commands/product.js';
import { SALE_STEP_MEMORY_MS } from '../../src/commands/product-state.js';
import {
  ProductArchived,
  ProductCreated,
  ProductPriceChanged,
  ProductRenamed,
  ProductSkuChanged,
  ProductThresholdChanged,
  StockAdjusted,
  StockCountVarianceRecorded,
  StockCounted,
  StockReceived,
  StockReturned,
  StockSaleReversed,
  StockSold,
  StockTransferred,
  TransferReceived,
  TransferShipped,
} from '../../src/events/product.js';
import { spec } from '../support/spec.js';

const productId = randomUUID();
const shelf = randomUUID();
const backroom = randomUUID();
const transferId = randomUUID();
const details: ProductDetails = {
  name: 'Widget',
  description: null,
  categoryId: null,
  price: '9.99',
  cost: '4.5',
  unit: 'each',
  barcode: null,
  minThreshold: '2',
  tracksExpiry: false,
};
const created = ProductCreated.of({ productId, sku: 'W-1', ...details });
const receipt = (quantity: string, unitCost: string, lot: string | null = null, expiresOn: string | null = null, locationId = shelf) =>
  StockReceived.of({ productId, locationId, lot, quantity, unitCost, value: String(Number(quantity) * Number(unitCost)), expiresOn });
const receive = (quantity: string, unitCost: string | null = null, lot: string | null = null, expiresOn: string | null = null): ProductCommand => ({
  type: 'ReceiveStock',
  data: { locationId: shelf, quantity, unitCost, lot, expiresOn },
});
const adjust = (quantityDelta: string, extra: Partial<Extract<ProductCommand, { type: 'AdjustStock' }>['data']> = {}): ProductCommand => ({
  type: 'AdjustStock',
  data: { locationId: shelf, quantityDelta, reason: 'damaged', note: null, ...extra },
});
const { given } = spec(product);

t.test('catalog: create once, change only what changed, archive only when empty', async (t) => {
  given([]).when({ type: 'CreateProduct', data: { productId, sku: 'W-1', ...details } }).then(t, [created]);
  given([created]).when({ type: 'CreateProduct', data: { productId, sku: 'W-1', ...details } }).thenThrows(t, 'already-exists');
  given([created])
    .when({ type: 'ChangeProductDetails', data: { name: 'Gadget', price: '9.990', cost: '4.5' } })
    .then(t, [ProductRenamed.of({ productId, name: 'Gadget' })]);
  given([created]).when({ type: 'ChangeProductDetails', data: { price: '12' } }).then(t, [ProductPriceChanged.of({ productId, price: '12' })]);
  given([created])
    .when({ type: 'ChangeProductDetails', data: { sku: 'W-2', price: '1' } })
    .then(t, [ProductPriceChanged.of({ productId, price: '1' }), ProductSkuChanged.of({ productId, sku: 'W-2', previousSku: 'W-1' })]);
  given([created]).when({ type: 'ChangeProductDetails', data: { sku: 'W-1', name: 'Widget' } }).then(t, []);
  given([created])
    .when({ type: 'SetLocationThreshold', data: { locationId: shelf, minThreshold: '5' } })
    .then(t, [ProductThresholdChanged.of({ productId, locationId: shelf, minThreshold: '5' })]);
  given([created]).when({ type: 'ArchiveProduct' }).then(t, [ProductArchived.of({ productId, sku: 'W-1' })]);
  given([created, receipt('3', '1')]).when({ type: 'ArchiveProduct' }).thenThrows(t, 'product-has-stock', { quantity: 3 });
  given([created, ProductArchived.of({ productId, sku: 'W-1' })]).when(receive('1')).thenThrows(t, 'product-archived');
  given([created, ProductArchived.of({ productId, sku: 'W-1' })]).when({ type: 'ArchiveProduct' }).then(t, []);
  given([]).when(receive('1')).thenThrows(t, 'not-found');
});

t.test('receipts: exact value, standard cost by default, expiry rules', async (t) => {
  given([created])
    .when(receive('2.5', '3.333'))
    .then(t, [StockReceived.of({ productId, locationId: shelf, lot: null, quantity: '2.5', unitCost: '3.333', value: '8.3325', expiresOn: null })]);
  given([created]).when(receive('10')).then(t, [receipt('10', '4.5')]);
  given([created]).when(receive('0')).thenThrows(t, 'invalid-quantity', { quantity: 0 });
  const tracked = ProductCreated.of({ productId, sku: 'M-1', ...details, tracksExpiry: true });
  given([tracked]).when(receive('1')).thenThrows(t, 'expiry-required');
  given([created, receipt('1', '1', 'L1', '2027-01-01')]).when(receive('1', '1', 'L1', '2027-02-01')).thenThrows(t, 'lot-expiry-mismatch', { expiresOn: '2027-01-01' });
});

t.test('adjustments: never below zero, first-expiring-first-out, valued at the average cost', async (t) => {
  const history = [created, receipt('4', '2', 'LATE', '2027-06-01'), receipt('4', '4', 'SOON', '2027-01-01')];
  // average cost: (8 + 16) / 8 = 3
  given(history)
    .when(adjust('-5'))
    .then(t, [
      StockAdjusted.of({
        productId,
        locationId: shelf,
        reason: 'damaged',
        note: null,
        lots: [
          { lot: 'SOON', expiresOn: '2027-01-01', quantity: '-4' },
          { lot: 'LATE', expiresOn: '2027-06-01', quantity: '-1' },
        ],
        quantity: '-5',
        unitCost: '3',
        value: '-15',
      }),
    ]);
  given(history).when(adjust('-9')).thenThrows(t, 'insufficient-stock', { available: 8, locationId: shelf });
  given(history).when(adjust('-5', { lot: 'SOON' })).thenThrows(t, 'insufficient-stock', { available: 4, lot: 'SOON' });
  given(history).when(adjust('-1', { locationId: backroom })).thenThrows(t, 'insufficient-stock', { available: 0 });
  given(history).when(adjust('0')).thenThrows(t, 'invalid-quantity');
  given(history)
    .when(adjust('2', { reason: 'found' }))
    .then(t, [
      StockAdjusted.of({ productId, locationId: shelf, reason: 'found', note: null, lots: [{ lot: null, expiresOn: null, quantity: '2' }], quantity: '2', unitCost: '3', value: '6' }),
    ]);
});

t.test('taking everything takes the whole value: no value is left behind with no stock', async (t) => {
  // 1 at 1.00 and 2 at 2.00: the average is 1.66666667 (rounded), yet writing all 3 off
  // removes exactly 5, and taking 1 first removes 1.66666667 and leaves 3.33333333.
  const history = [created, receipt('1', '1'), receipt('2', '2')];
  const all = product.decide(adjust('-3'), history.reduce(product.evolve, product.initialState));
  t.match(all, [{ type: 'StockAdjusted', data: { value: '-5', unitCost: '1.66666667' } }]);
  const one = product.decide(adjust('-1'), history.reduce(product.evolve, product.initialState));
  const rest = product.decide(adjust('-2'), [...history, ...one].reduce(product.evolve, product.initialState));
  t.match(rest, [{ data: { value: '-3.33333333' } }], 'the last units carry exactly what is left');
});

t.test('transfers: immediate, or shipped and received in parts', async (t) => {
  const history = [created, receipt('6', '1', 'A', '2027-01-01')];
  const lotA = (quantity: string) => [{ lot: 'A', expiresOn: '2027-01-01', quantity }];
  const move = (mode: 'immediate' | 'ship', quantity = '4'): ProductCommand => ({
    type: 'TransferStock',
    data: { transferId, fromLocationId: shelf, toLocationId: backroom, quantity, mode },
  });
  given(history).when(move('immediate')).then(t, [StockTransferred.of({ productId, transferId, fromLocationId: shelf, toLocationId: backroom, lots: lotA('4'), quantity: '4' })]);
  given(history).when(move('immediate', '7')).thenThrows(t, 'insufficient-stock', { available: 6 });
  given(history)
    .when({ type: 'TransferStock', data: { transferId, fromLocationId: shelf, toLocationId: shelf, quantity: '1', mode: 'immediate' } })
    .thenThrows(t, 'same-location');

  const shipped = TransferShipped.of({ productId, transferId, fromLocationId: shelf, toLocationId: backroom, lots: lotA('4'), quantity: '4' });
  given(history).when(move('ship')).then(t, [shipped]);
  const part = TransferReceived.of({ productId, transferId, toLocationId: backroom, lots: lotA('3'), quantity: '3' });
  given([...history, shipped]).when({ type: 'ReceiveTransfer', data: { transferId, quantity: '3' } }).then(t, [part]);
  given([...history, shipped, part])
    .when({ type: 'ReceiveTransfer', data: { transferId, quantity: null } })
    .then(t, [TransferReceived.of({ productId, transferId, toLocationId: backroom, lots: lotA('1'), quantity: '1' })]);
  given([...history, shipped, part]).when({ type: 'ReceiveTransfer', data: { transferId, quantity: '2' } }).thenThrows(t, 'transfer-exceeded', { remaining: 1 });
  given(history).when({ type: 'ReceiveTransfer', data: { transferId, quantity: null } }).thenThrows(t, 'unknown-transfer');

  const s = [...history, shipped, part].reduce(product.evolve, product.initialState);
  t.match(s, { onHand: { [shelf]: { A: '2' }, [backroom]: { A: '3' } }, valuation: { owned: '6', value: '6' } }, 'in transit still owned and valued');
});

t.test('counts: the count, and the variance as its own event', async (t) => {
  const history = [created, receipt('5', '2')];
  const counted = (countedQuantity: string, expectedQuantity = '5') =>
    StockCounted.of({ productId, locationId: shelf, lot: null, countedQuantity, expectedQuantity });
  given(history).when({ type: 'CountStock', data: { locationId: shelf, countedQuantity: '5' } }).then(t, [counted('5')]);
  given(history)
    .when({ type: 'CountStock', data: { locationId: shelf, countedQuantity: '3' } })
    .then(t, [
      counted('3'),
      StockCountVarianceRecorded.of({ productId, locationId: shelf, lots: [{ lot: null, expiresOn: null, quantity: '-2' }], quantity: '-2', unitCost: '2', value: '-4' }),
    ]);
  given(history)
    .when({ type: 'CountStock', data: { locationId: shelf, countedQuantity: '6.5' } })
    .then(t, [
      counted('6.5'),
      StockCountVarianceRecorded.of({ productId, locationId: shelf, lots: [{ lot: null, expiresOn: null, quantity: '1.5' }], quantity: '1.5', unitCost: '2', value: '3' }),
    ]);
  given(history).when({ type: 'CountStock', data: { locationId: shelf, countedQuantity: '-1' } }).thenThrows(t, 'invalid-quantity');
});

t.test('on-hand stock and value are folded exactly', async (t) => {
  const s = [created, receipt('0.1', '1'), receipt('0.2', '1')].reduce(product.evolve, product.initialState);
  t.match(s, { onHand: { [shelf]: { '': '0.3' } }, valuation: { owned: '0.3', value: '0.3' } }, '0.1 + 0.2 is 0.3');
});

t.test('sales: a line is served once, given back once, and never served again after', async (t) => {
  const saleId = randomUUID();
  const sellCmd: ProductCommand = { type: 'SellStock', data: { saleId, line: 0, locationId: shelf, quantity: '3', unitPrice: '9.99' } };
  const history = [created, receipt('5', '2', 'L1', '2030-01-01')];
  const sold = StockSold.of({ productId, saleId, line: 0, locationId: shelf, lots: [{ lot: 'L1', expiresOn: '2030-01-01', quantity: '3' }], quantity: '3', unitPrice: '9.99', unitCost: '2', value: '-6' });
  given(history).when(sellCmd).then(t, [sold]);
  given([...history, sold]).when(sellCmd).then(t, [], 'a repeated step finds its work done');
  given(history).when({ ...sellCmd, data: { ...sellCmd.data, quantity: '6' } } as ProductCommand).thenThrows(t, 'insufficient-stock', { available: 5 });

  const reversed = StockSaleReversed.of({ productId, saleId, line: 0, locationId: shelf, lots: [{ lot: 'L1', expiresOn: '2030-01-01', quantity: '3' }], quantity: '3', value: '6' });
  given([...history, sold]).when({ type: 'ReverseSaleLine', data: { saleId, line: 0 } }).then(t, [reversed]);
  given([...history, sold, reversed]).when({ type: 'ReverseSaleLine', data: { saleId, line: 0 } }).then(t, []);
  given(history).when({ type: 'ReverseSaleLine', data: { saleId, line: 0 } }).then(t, [], 'nothing taken, nothing to give back');
  const s = [...history, sold, reversed].reduce(product.evolve, product.initialState);
  t.match(s, { onHand: { [shelf]: { L1: '5' } }, valuation: { owned: '5', value: '10' } }, 'exactly what was taken is back');

  const returnId = randomUUID();
  const back: ProductCommand = { type: 'ReturnStock', data: { saleId, returnId, line: 0, locationId: shelf, quantity: '1', value: '2', lots: [{ lot: 'L1', expiresOn: '2030-01-01', quantity: '1' }] } };
  const returned = StockReturned.of({ productId, saleId, returnId, line: 0, locationId: shelf, quantity: '1', value: '2', lots: [{ lot: 'L1', expiresOn: '2030-01-01', quantity: '1' }] });
  given([...history, sold]).when(back).then(t, [returned]);
  given([...history, sold, returned]).when(back).then(t, []);
  given([...history, sold, ProductArchived.of({ productId, sku: 'W-1' })]).when({ type: 'ReverseSaleLine', data: { saleId, line: 0 } }).then(t, [reversed], 'giving back is never refused, archived or not');
});

t.test('sale steps are remembered for a week after the sale began, not forever', async (t) => {
  const start = Date.parse('2026-03-01T12:00:00Z');
  const saleAt = (ms: number) => uuidv7({ msecs: ms });
  const sale = (saleId: string) =>
    StockSold.of({ productId, saleId, line: 0, locationId: shelf, lots: [{ lot: null, expiresOn: null, quantity: '1' }], quantity: '1', unitPrice: '1', unitCost: '1', value: '-1' });
  const old = saleAt(start);
  const recent = saleAt(start + SALE_STEP_MEMORY_MS - 1000);
  const later = saleAt(start + SALE_STEP_MEMORY_MS + 1000);
  const history = [created, receipt('10', '1'), sale(old), sale(recent)];
  const sellAgain = (saleId: string): ProductCommand => ({ type: 'SellStock', data: { saleId, line: 0, locationId: shelf, quantity: '1', unitPrice: '1' } });

  given(history).when(sellAgain(old)).then(t, [], 'within the week a repeated step finds its work done');
  given([...history, sale(later)]).when(sellAgain(recent)).then(t, [], 'a sale still within its week is remembered');
  const s = [...history, sale(later)].reduce(product.evolve, product.initialState);
  t.same(s.status === 'active' && [...s.served.keys()], [`${recent}:0`, `${later}:0`], 'the sale begun more than a week before the newest is forgotten');
  t.match(s, { onHand: { [shelf]: { '': '7' } } }, 'forgetting a step changes no stock');

  // A return ages by its own time: an old sale may come back today.
  const returnOf = (saleId: string, returnId: string) =>
    StockReturned.of({ productId, saleId, returnId, line: 0, locationId: shelf, quantity: '1', value: '1', lots: [{ lot: null, expiresOn: null, quantity: '1' }] });
  const lateReturn = saleAt(start + 2 * SALE_STEP_MEMORY_MS);
  const nextReturn = saleAt(start + 2 * SALE_STEP_MEMORY_MS + 1000);
  const returns = [...history, sale(later), returnOf(old, lateReturn), returnOf(later, nextReturn)];
  const again: ProductCommand = { type: 'ReturnStock', data: { saleId: old, returnId: lateReturn, line: 0, locationId: shelf, quantity: '1', value: '1', lots: [{ lot: null, expiresOn: null, quantity: '1' }] } };
  given(returns).when(again).then(t, [], "a return of a weeks-old sale is remembered from the return's time");
});

t.test('a snapshot of a product, through JSON, decides as the folded state does', async (t) => {
  const saleId = uuidv7();
  const sold = StockSold.of({ productId, saleId, line: 0, locationId: shelf, lots: [{ lot: 'L1', expiresOn: '2030-01-01', quantity: '2' }], quantity: '2', unitPrice: '9', unitCost: '2', value: '-4' });
  const returned = StockReturned.of({ productId, saleId, returnId: uuidv7(), line: 0, locationId: shelf, quantity: '1', value: '2', lots: [{ lot: 'L1', expiresOn: '2030-01-01', quantity: '1' }] });
  const folded = [created, receipt('5', '2', 'L1', '2030-01-01'), sold, returned].reduce(product.evolve, product.initialState);
  const codec = product.snapshot!;
  const restored = codec.decode(JSON.parse(JSON.stringify(codec.encode(folded))));
  t.same(codec.encode(restored), codec.encode(folded), 'the same state back');
  const reverse: ProductCommand = { type: 'ReverseSaleLine', data: { saleId, line: 0 } };
  t.same(product.decide(reverse, restored), product.decide(reverse, folded), 'it remembers the sale it served');
  t.equal(product.decide(reverse, restored).length, 1);
  t.same(codec.decode(codec.encode(product.initialState)), product.initialState, 'a stream with nothing yet');
});
