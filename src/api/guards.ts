// One guard per route module: authentication plus the permission its method needs
// (reads one, writes another), as a hook that runs before any other of the module's.
import type { FastifyInstance } from 'fastify';
import type { Permission } from '../commands/permissions.js';

export function guard(app: FastifyInstance, permissions: { read: Permission; write: Permission }): void {
  const read = app.can(permissions.read);
  const write = app.can(permissions.write);
  app.addHook('preHandler', async function (req, reply) {
    await (req.method === 'GET' ? read : write).call(this, req, reply);
  });
}
