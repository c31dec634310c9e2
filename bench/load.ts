// One timed burst of load with autocannon, reduced to the figures the report shows.
import autocannon from 'autocannon';

export interface LoadRequest {
  /** POST unless told: the write scenarios were here first. */
  method?: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  /** Called for every request, so each one can aim at a different product and tenant. */
  next(): LoadRequest;
}

export interface Load {
  seconds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** 2xx answers received (requests cut off when time ran out are not among them). */
  ok: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
}

export async function fire(spec: LoadSpec): Promise<Load> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    method: 'POST',
    requests: [{ setupRequest: (request) => ({ ...request, ...spec.next() }) }],
  });
  return {
    seconds: result.duration,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
