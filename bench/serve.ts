// The child half of child.ts: listen on an ephemeral port, announce it as one JSON line
// on stdout, expose the counters, and shut down on a signal or when the parent goes away.
import type { FastifyInstance } from 'fastify';

export const COUNTERS_PATH = '/bench/counters';

export interface Served {
  /**
   * Completed writes by name. autocannon drops the requests still in flight when its time is
   * up, and the server may have committed them; only the server's count can be checked exactly.
   */
  counters(): Record<string, number>;
  close(): Promise<void>;
}

export async function serve(app: FastifyInstance, served: Served): Promise<void> {
  app.get(COUNTERS_PATH, { schema: { hide: true } }, async () => served.counters());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a TCP port');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
    process.stdin.once('end', resolve);
    process.stdin.resume();
  });
  const force = setTimeout(() => process.exit(1), 10_000).unref();
  await app.close();
  await served.close();
  clearTimeout(force);
  process.exit(0);
}
