// The scenarios `npm run bench -- <name>` knows. A new one is a module here and a line below.
import type { Scenario } from '../scenario.js';
import { productsList } from './products-list.js';
import { receipts } from './receipts.js';
import { sales } from './sales.js';

export const scenarios: Record<string, Scenario> = { receipts, sales, 'products-list': productsList };
