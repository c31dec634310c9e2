// The write side's entry points, one service per area. Each decides from streams alone
// (never a read model) and returns where its last event landed, for read-your-writes.
import { randomBytes } from 'node:crypto';
import type { EventStore } from '../eventstore/port.js';
import type { SnapshotStore } from '../eventstore/snapshots.js';
import { createCatalogCommands } from './catalog-service.js';
import { createCustomerCommands } from './customer-service.js';
import { configureHandlers } from './handler.js';
import { createIdentityCommands } from './identity-service.js';
import { createImportCommands } from './import-service.js';
import { createInventoryCommands } from './inventory-service.js';
import { createSalesCommands } from './sales-service.js';
import { Secrets } from './secrets.js';

export type { CommandContext } from './context.js';
export { DomainError, type DomainErrorCode } from './errors.js';
export type { Authenticated, Registered } from './identity-service.js';
export type { Written } from './inventory-service.js';
export type { Precondition } from './catalog-service.js';
export type { CustomerStatus } from './customer-service.js';

export interface CommandOptions {
  /** The deployment's secret (JWT_SECRET), from which one-time codes are derived; random when absent (tools that issue none). */
  secret?: string | undefined;
  /** Where long streams' state is snapshotted; without it a cold load reads the whole stream. */
  snapshots?: SnapshotStore | undefined;
}

export function createCommands(store: EventStore, options: CommandOptions = {}) {
  configureHandlers(store, { snapshots: options.snapshots });
  const inventory = createInventoryCommands(store);
  // Sales ask it whether a customer may be sold to (customerStatus).
  const customers = createCustomerCommands(store);
  return {
    ...createIdentityCommands(store, { secrets: new Secrets(options.secret ?? randomBytes(32).toString('hex')) }),
    ...inventory,
    ...createImportCommands(inventory),
    ...createCatalogCommands(store),
    ...customers,
    ...createSalesCommands(store, { customerStatus: customers.customerStatus }),
  };
}

export type Commands = ReturnType<typeof createCommands>;
