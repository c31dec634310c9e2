// Small request helpers for the catalog's API tests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { bearer, type Account } from '../support/app.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export function client(app: FastifyInstance, account: Account) {
  /** The log position of the last command: every read waits for it (read-your-writes). */
  let position: string | undefined = account.position;
  const send = async (method: Method, url: string, payload?: object, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...bearer(account, method === 'GET' ? position : undefined), ...headers },
      ...(payload ? { payload } : {}),
    });
    const reached = res.headers['x-log-position'];
    if (typeof reached === 'string') position = reached;
    return res;
  };
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload: object) => send('POST', url, payload),
    patch: (url: string, payload: object, ifMatch?: string) => send('PATCH', url, payload, ifMatch ? { 'if-match': ifMatch } : {}),
    delete: (url: string, ifMatch?: string) => send('DELETE', url, undefined, ifMatch ? { 'if-match': ifMatch } : {}),
    /** Creates and answers the new id. */
    async create(url: string, payload: object): Promise<string> {
      const res = await send('POST', url, payload);
      if (res.statusCode !== 201) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
      return res.json<{ id: string }>().id;
    },
  };
}

export type Client = ReturnType<typeof client>;

export const json = <T = Record<string, unknown>>(res: LightMyRequestResponse) => res.json<T>();
