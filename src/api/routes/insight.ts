// What needs attention (alerts) and the dashboard's inventory figures.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { alerts } from '../../queries/alerts.js';
import { addDays } from '../../queries/calendar.js';
import { inventoryDashboard } from '../../queries/dashboard.js';
import { salesDashboard } from '../../queries/sales.js';
import { tenantScope } from '../../queries/scope.js';
import type { AppDeps } from '../app.js';

const ExpiryAlert = z.object({
  productId: z.uuid(),
  sku: z.string(),
  name: z.string(),
  locationId: z.uuid(),
  lot: z.string().nullable(),
  expiresOn: z.string(),
  quantity: z.number(),
  value: z.string(),
});

const Alerts = z.object({
  lowStock: z.array(
    z.object({
      productId: z.uuid(),
      sku: z.string(),
      name: z.string(),
      locationId: z.uuid().nullable().describe('null: the product total against its own threshold'),
      quantity: z.number(),
      minThreshold: z.number(),
    }),
  ),
  expired: z.array(ExpiryAlert),
  expiringSoon: z.array(ExpiryAlert),
});

const SalesFigures = z.object({ count: z.number().int(), revenue: z.string(), grossMargin: z.string() }).describe('Net of returns');

const Dashboard = z.object({
  counts: z.object({ totalProducts: z.number().int(), totalCategories: z.number().int(), lowStock: z.number().int(), expiredProducts: z.number().int() }),
  stock: z.object({ totalStock: z.number() }),
  financial: z.object({ totalInventoryValue: z.string(), expiredInventoryValue: z.string(), realInventoryValue: z.string() }),
  analytics: z.array(z.object({ category: z.string(), totalValue: z.string() })),
  sales: z.object({
    today: SalesFigures,
    last30Days: SalesFigures,
    topProducts: z.array(z.object({ productId: z.uuid(), name: z.string(), quantity: z.number(), revenue: z.string() })).describe('Last 30 days, by revenue'),
  }),
});

export const insightRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, fresh, calendar }) => {
  const secured = { tags: ['insight'], security: [{ bearer: [] }] };

  // Alerts are about stock (a salesperson sees them); the dashboard shows valuation.
  app.get('/alerts', { schema: { ...secured, response: { 200: Alerts } }, preHandler: [app.can('inventory:read'), fresh('products', 'tenants')] }, async (req) => {
    const scope = tenantScope(db, req.user.tid);
    const { today, expiryWarningDays } = await calendar(scope);
    return alerts(scope, today, expiryWarningDays);
  });

  app.get(
    '/dashboard',
    { schema: { ...secured, response: { 200: Dashboard } }, preHandler: [app.can('reports:read'), fresh('products', 'categories', 'tenants', 'sales')] },
    async (req) => {
      const scope = tenantScope(db, req.user.tid);
      const { today, timezone } = await calendar(scope);
      return { ...(await inventoryDashboard(scope, today)), sales: await salesDashboard(scope, today, addDays(today, -29), timezone) };
    },
  );
};
