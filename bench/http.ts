// Setup and checks talk to the service the way a client would: JSON over fetch,
// answers validated, unexpected statuses turned into errors that say what was sent.
import type { z } from 'zod';
import { BenchError } from './context.js';

export interface Call {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Answer<T> {
  body: T;
  headers: Headers;
}

export async function callJson<T>(url: string, expected: number, schema: z.ZodType<T>, call: Call = {}): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: call.method ?? 'GET',
    headers: { ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new BenchError(`${call.method ?? 'GET'} ${url}: expected ${expected}, got ${response.status}: ${text.slice(0, 500)}`);
  }
  return { body: schema.parse(JSON.parse(text)), headers: response.headers };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
