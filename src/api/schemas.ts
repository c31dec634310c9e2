// Request and response pieces shared by routes. Inputs become exact decimal strings
// at the edge; nothing past here sees a binary float.
import { Big } from 'big.js';
import { z } from 'zod';
import type { Written } from '../commands/index.js';
import { formatPosition } from '../eventstore/port.js';

/** A JSON number with at most 3 decimals, handed on as an exact decimal string. */
export const QuantityInput = z
  .number()
  .refine((n) => Number.isFinite(n) && /^-?\d+(\.\d{1,3})?$/.test(String(n)), 'must have at most 3 decimals')
  .transform((n) => Big(String(n)).toString());

export const PositiveQuantityInput = QuantityInput.refine((q) => Big(q).gt(0), 'must be greater than zero');
export const NonNegativeQuantityInput = QuantityInput.refine((q) => Big(q).gte(0), 'must not be negative');

/** Money in the API: a decimal string such as "1200.00", at most 4 decimals, not negative. */
export const MoneyInput = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,4})?$/, 'must be a decimal string such as "12.50" (at most 4 decimals)')
  .transform((s) => Big(s).toString());

export const IdParams = z.object({ id: z.uuid() });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(10),
});

/** `?sort=name,-price`: fields of `allowed`, `-` for descending. */
export function sortQuery<const F extends readonly [string, ...string[]]>(allowed: F) {
  const Field = z.enum(allowed);
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parts = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const sort: { field: F[number]; direction: 'asc' | 'desc' }[] = [];
      for (const part of parts) {
        const field = Field.safeParse(part.replace(/^-/, ''));
        if (!field.success) {
          ctx.addIssue({ code: 'custom', message: `unknown sort field "${part}"; use ${allowed.join(', ')}` });
          return z.NEVER;
        }
        sort.push({ field: field.data, direction: part.startsWith('-') ? 'desc' : 'asc' });
      }
      return sort;
    });
}

export const CommandResult = z
  .object({
    id: z.uuid(),
    revision: z.number().int(),
    position: z.string().describe('Log position: send it as X-Min-Log-Position to read your write'),
  })
  .meta({ id: 'CommandResult' });

export const commandResult = (w: Written) => ({ id: w.id, revision: Number(w.revision), position: formatPosition(w.position) });

export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
