// A small HTTP client for end-to-end tests over real HTTP: JSON in and out, and a
// cookie jar that honours Path and Max-Age the way a browser does (the refresh cookie
// must only travel to the auth routes). Every secret it sees (tokens, cookies) goes to
// the ledger, for the final scan of the log.
import type { SecretLedger } from './secret-ledger.js';

export interface HttpResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  /** Raw Set-Cookie headers of this response. */
  setCookies: string[];
}

interface Cookie {
  value: string;
  path: string;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `Authorization: Bearer <token>`. */
  token?: string;
  /** Send X-CSRF-Token with the value of the sb_csrf cookie. */
  csrf?: boolean;
}

export class HttpClient {
  readonly cookies = new Map<string, Cookie>();

  constructor(
    readonly baseUrl: string,
    private readonly ledger?: SecretLedger,
  ) {}

  async request<T = Record<string, unknown>>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = new URL(path, this.baseUrl);
    this.ledger?.collect(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.csrf && this.cookies.has('sb_csrf')) headers['x-csrf-token'] = this.cookies.get('sb_csrf')!.value;
    const cookie = [...this.cookies]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    if (cookie) headers.cookie = cookie;
    const res = await fetch(url, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) this.store(line);
    const text = await res.text();
    const body = (text ? JSON.parse(text) : null) as T;
    this.ledger?.collect(body);
    return { status: res.status, headers: res.headers, body, setCookies };
  }

  get = <T = Record<string, unknown>>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T = Record<string, unknown>>(path: string, options?: RequestOptions) => this.request<T>('POST', path, options);
  put = <T = Record<string, unknown>>(path: string, options?: RequestOptions) => this.request<T>('PUT', path, options);
  patch = <T = Record<string, unknown>>(path: string, options?: RequestOptions) => this.request<T>('PATCH', path, options);
  delete = <T = Record<string, unknown>>(path: string, options?: RequestOptions) => this.request<T>('DELETE', path, options);

  private store(line: string): void {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = decodeURIComponent(pair!.slice(eq + 1));
    const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key.toLowerCase()}=`))?.split('=')[1];
    const maxAge = attr('Max-Age');
    const expires = attr('Expires');
    if ((maxAge !== undefined && Number(maxAge) <= 0) || (expires && Date.parse(expires) <= Date.now()) || value === '') {
      this.cookies.delete(name);
      return;
    }
    this.cookies.set(name, { value, path: attr('Path') ?? '/' });
    this.ledger?.add(value);
  }
}

/** The attributes of one Set-Cookie line, for assertions. */
export function cookieAttributes(setCookies: string[], name: string): Record<string, string | true> | null {
  const line = setCookies.find((l) => l.startsWith(`${name}=`));
  if (!line) return null;
  const [, ...attributes] = line.split(';').map((s) => s.trim());
  return Object.fromEntries(attributes.map((a) => {
    const [k, v] = a.split('=');
    return [k!.toLowerCase(), v ?? true];
  }));
}
