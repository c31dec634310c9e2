// The ceiling for read scenarios (a child process, see child.ts): Fastify answering a
// constant, no auth, no database. Nothing built on Fastify can serve more from this box.
import Fastify from 'fastify';
import { serve } from './serve.js';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

// No writes to count, nothing to close but the server itself.
await serve(app, { counters: () => ({}), close: async () => undefined });
