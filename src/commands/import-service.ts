// Importing products with opening balances. Every row is checked against the streams
// first (SKU free, location and category known), so a bad file writes nothing. Should a
// row still fail while writing (someone took a SKU meanwhile), what was written is
// undone: the opening stock written back off and the product archived, its SKU freed.
import type { Position } from '../eventstore/port.js';
import type { CommandContext } from './context.js';
import { DomainError } from './errors.js';
import type { createInventoryCommands } from './inventory-service.js';

type Inventory = ReturnType<typeof createInventoryCommands>;

export interface ImportedProduct {
  sku: string;
  name: string;
  description?: string | undefined;
  categoryId?: string | undefined;
  price: string;
  cost?: string | undefined;
  unit?: string | undefined;
  barcode?: string | undefined;
  minThreshold?: string | undefined;
  tracksExpiry?: boolean | undefined;
  quantity?: string | undefined;
  unitCost?: string | undefined;
  locationId?: string | undefined;
  lot?: string | undefined;
  expiresOn?: string | undefined;
}

interface RowError {
  line: number;
  field: string;
  message: string;
}

/** Rows are numbered as lines of a CSV file with a header: the first row is line 2. */
const lineOf = (index: number) => index + 2;

export function createImportCommands(inventory: Inventory) {
  async function check(ctx: CommandContext, rows: readonly ImportedProduct[]): Promise<RowError[]> {
    const errors: RowError[] = [];
    for (const [i, row] of rows.entries()) {
      if (!(await inventory.skuAvailable(ctx, row.sku))) errors.push({ line: lineOf(i), field: 'sku', message: 'already used by another product' });
      const refusal = await inventory.refusalOf(ctx, { locationId: row.locationId, categoryId: row.categoryId });
      if (refusal) errors.push({ line: lineOf(i), field: refusal === 'unknown-category' ? 'categoryId' : 'locationId', message: refusal });
    }
    return errors;
  }

  return {
    async importProducts(ctx: CommandContext, rows: readonly ImportedProduct[]): Promise<{ position: Position }> {
      const errors = await check(ctx, rows);
      if (errors.length) throw new DomainError('invalid-import', { errors });
      const written: string[] = [];
      let position: Position | null = null;
      for (const [i, row] of rows.entries()) {
        try {
          const created = await inventory.createProduct(ctx, {
            sku: row.sku,
            name: row.name,
            description: row.description ?? null,
            categoryId: row.categoryId ?? null,
            price: row.price,
            cost: row.cost ?? '0',
            unit: row.unit ?? 'each',
            barcode: row.barcode ?? null,
            minThreshold: row.minThreshold ?? null,
            tracksExpiry: row.tracksExpiry ?? false,
          });
          written.push(created.id);
          position = created.position;
          if (row.quantity && row.quantity !== '0') {
            const received = await inventory.receiveStock(ctx, created.id, {
              locationId: row.locationId ?? null,
              quantity: row.quantity,
              unitCost: row.unitCost ?? null,
              lot: row.lot ?? null,
              expiresOn: row.expiresOn ?? null,
            });
            position = received.position;
          }
        } catch (error) {
          await undo(ctx, written);
          const message = error instanceof DomainError ? error.code : 'could not be written';
          throw new DomainError('invalid-import', { errors: [{ line: lineOf(i), field: '(row)', message }] });
        }
      }
      return { position: position! };
    },
  };

  async function undo(ctx: CommandContext, written: readonly string[]): Promise<void> {
    const undoCtx = { ...ctx, causationId: `${ctx.causationId}:undo-import` };
    for (const productId of written) {
      const stock = await inventory.stockOf(undoCtx, productId);
      for (const { locationId, quantity, lot } of stock) {
        await inventory.adjustStock(undoCtx, productId, { locationId, quantityDelta: `-${quantity}`, reason: 'correction', note: 'import undone', ...(lot === null ? {} : { lot }) });
      }
      await inventory.archiveProduct(undoCtx, productId);
    }
  }
}
