// Value types shared by events, commands and the API. Money and quantities are exact
// decimals (big.js), carried as canonical decimal strings: never binary floating point.
import { Big } from 'big.js';
import { z } from 'zod';

export const Id = z.uuid();

/** A calendar date, `YYYY-MM-DD`. */
export const LocalDate = z.iso.date();

/** An exact decimal with up to `scale` decimals, as a canonical string ("12.5", "3"). */
const decimalString = (scale: number, label: string) =>
  z
    .string()
    .regex(new RegExp(`^-?\\d{1,15}(\\.\\d{1,${scale}})?$`), `must be a decimal with at most ${scale} decimals`)
    .transform((s) => Big(s).toString())
    .describe(label);

/** A quantity in an event: at most 3 decimals, may be negative (deltas). */
export const Quantity = decimalString(3, 'quantity');
/**
 * An amount of money in an event, kept exact: a movement's value (quantity × unit cost)
 * has up to 7 decimals. The API rounds for display; the log never does.
 */
export const Money = decimalString(8, 'money');

export type Decimal = Big;
export const decimal = (value: string | number): Big => Big(value);
export const ZERO = Big(0);

/** Money for display: two decimals, half-up. */
export const money = (value: Big): string => value.round(2, Big.roundHalfUp).toFixed(2);
/** A quantity for JSON: a number with at most 3 decimals (exact: every such value round-trips). */
export const quantityNumber = (value: Big): number => Number(value.round(3, Big.roundHalfUp).toString());
