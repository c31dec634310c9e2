// Catalog data for the read scenarios: product names made of common words (so a search
// for one word finds a few percent of a tenant), SKUs, barcodes, prices, thresholds and
// receipts, all from a seeded generator, so every run lists the same data.

const ADJECTIVES = ['red', 'blue', 'green', 'black', 'white', 'large', 'small', 'heavy', 'light', 'classic', 'modern', 'compact',
  'deluxe', 'basic', 'premium', 'rustic', 'slim', 'round', 'square', 'foldable', 'portable', 'vintage', 'bright', 'quiet'];
const MATERIALS = ['steel', 'oak', 'pine', 'bamboo', 'cotton', 'wool', 'linen', 'leather', 'glass', 'ceramic', 'copper', 'brass',
  'aluminium', 'plastic', 'rubber', 'silicone', 'marble', 'granite', 'paper', 'canvas', 'velvet', 'walnut', 'cork', 'felt'];
const NOUNS = ['chair', 'table', 'lamp', 'shelf', 'mug', 'bowl', 'plate', 'kettle', 'towel', 'blanket', 'pillow', 'basket',
  'bottle', 'jar', 'tray', 'hook', 'rack', 'stool', 'bench', 'mirror', 'clock', 'vase', 'candle', 'rug', 'crate', 'box',
  'bucket', 'brush', 'hanger', 'drawer', 'cabinet', 'desk'];
/** What the load generator searches for: every word a name is made of. */
export const SEARCH_WORDS: readonly string[] = [...ADJECTIVES, ...MATERIALS, ...NOUNS];
export const CATEGORY_NAMES: readonly string[] = ['Furniture', 'Kitchen', 'Bath', 'Bedroom', 'Lighting', 'Storage', 'Decor',
  'Outdoor', 'Office', 'Cleaning', 'Textiles', 'Seasonal'];

// Shares that make the filters select realistic slices, not all or nothing.
const UNCATEGORIZED = 0.1;
const WITH_BARCODE = 0.3;
const RECEIVED = 0.7;
const TRACKS_EXPIRY = 0.05;

export interface Receipt {
  quantity: string;
  unitCost: string;
  lot: string | null;
  expiresOn: string | null;
}

export interface ProductSpec {
  sku: string;
  name: string;
  description: null;
  categoryId: string | null;
  price: string;
  cost: string;
  unit: string;
  barcode: string | null;
  minThreshold: string;
  tracksExpiry: boolean;
  /** Stock received once at the default location, or none: unstocked products are low on stock. */
  receipt: Receipt | null;
}

/** mulberry32: small, fast and good enough to spread products over words and prices. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const between = (rand: () => number, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

/** Product `i` of a tenant; `rand` is that tenant's generator, so tenants differ but runs do not. */
export function productSpec(rand: () => number, i: number, categoryIds: readonly string[], today: Date): ProductSpec {
  const noun = pick(rand, NOUNS);
  const cents = between(rand, 50, 50_000);
  const costCents = Math.round(cents * (0.4 + rand() * 0.3));
  const tracksExpiry = rand() < TRACKS_EXPIRY;
  const received = rand() < RECEIVED;
  return {
    sku: `${noun.slice(0, 3).toUpperCase()}-${String(i).padStart(6, '0')}`,
    name: `${pick(rand, ADJECTIVES)} ${pick(rand, MATERIALS)} ${noun}`,
    description: null,
    categoryId: rand() < UNCATEGORIZED ? null : pick(rand, categoryIds),
    price: (cents / 100).toFixed(2),
    cost: (costCents / 100).toFixed(2),
    unit: 'each',
    barcode: rand() < WITH_BARCODE ? String(4_000_000_000_000 + i * 7919) : null,
    minThreshold: String(between(rand, 0, 20)),
    tracksExpiry,
    receipt: received
      ? {
          quantity: String(between(rand, 1, 200)),
          unitCost: (costCents / 100).toFixed(2),
          // Expiring lots fall on both sides of today, so some stock on hand is expired.
          lot: tracksExpiry ? 'LOT-1' : null,
          expiresOn: tracksExpiry ? isoDate(today, between(rand, -30, 90)) : null,
        }
      : null,
  };
}

/** One receipt of `quantity` units at the product's cost; a lot that tracks expiry gets a date a year ahead. */
export function openingReceipt(spec: ProductSpec, quantity: string, today: Date): Receipt {
  return {
    quantity,
    unitCost: spec.cost,
    lot: spec.tracksExpiry ? 'LOT-1' : null,
    expiresOn: spec.tracksExpiry ? isoDate(today, 365) : null,
  };
}

const isoDate = (from: Date, days: number) => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
