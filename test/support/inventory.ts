// A small client for inventory flows in tests: each command's position is kept, so the
// next read waits for it (read-your-writes).
import type { FastifyInstance } from 'fastify';
import { bearer, type Account } from './app.js';

export interface Response<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export function inventoryClient(app: FastifyInstance, account: Account) {
  let position = account.position;
  const send = async <T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Response<T>> => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...bearer(account, method === 'GET' ? position : undefined), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    const returned = res.headers['x-log-position'];
    if (typeof returned === 'string') position = returned;
    return { status: res.statusCode, body: res.body ? res.json<T>() : ({} as T), headers: res.headers };
  };
  return {
    /** Reads from now on wait for this position (e.g. the head, after work done outside HTTP). */
    waitFor(at: string) {
      position = at;
    },
    get: <T = Record<string, unknown>>(url: string) => send<T>('GET', url),
    post: <T = Record<string, unknown>>(url: string, body: unknown, headers?: Record<string, string>) => send<T>('POST', url, body, headers),
    patch: <T = Record<string, unknown>>(url: string, body: unknown, headers?: Record<string, string>) => send<T>('PATCH', url, body, headers),
    put: <T = Record<string, unknown>>(url: string, body: unknown) => send<T>('PUT', url, body),
    delete: <T = Record<string, unknown>>(url: string, headers?: Record<string, string>) => send<T>('DELETE', url, undefined, headers),
    /** Creates a product and returns its id. */
    async product(fields: Record<string, unknown> = {}): Promise<string> {
      const res = await send<{ id: string }>('POST', '/products', { sku: `P-${Math.random().toString(36).slice(2, 10)}`, name: 'Thing', price: '10.00', cost: '4.00', ...fields });
      if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
    /** Creates a location and returns its id. */
    async location(name: string, parentId?: string): Promise<string> {
      const res = await send<{ id: string }>('POST', '/locations', { name, ...(parentId ? { parentId } : {}) });
      if (res.status !== 201) throw new Error(`location: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
  };
}
