// Where each projection stands: its checkpoint against the head of the log, and the
// events it parked (failed repeatedly and were set aside).
import { comparePositions, formatPosition, parsePosition, type Position } from '../eventstore/port.js';
import type { ReadDb } from '../projections/read-db.js';

export interface ProjectionStatus {
  name: string;
  position: string | null;
  caughtUp: boolean;
  parked: number;
}

export async function projectionStatus(db: ReadDb, names: readonly string[], head: Position): Promise<ProjectionStatus[]> {
  const checkpoints = await db.selectFrom('projection_checkpoints').select(['name', 'position']).execute();
  const parked = await db
    .selectFrom('parked_events')
    .select((eb) => ['projection', eb.fn.countAll<number>().as('count')])
    .groupBy('projection')
    .execute();
  return names.map((name) => {
    const at = parsePosition(checkpoints.find((c) => c.name === name)?.position ?? '');
    return {
      name,
      position: at ? formatPosition(at) : null,
      caughtUp: at !== null && comparePositions(at, head) >= 0,
      parked: Number(parked.find((p) => p.projection === name)?.count ?? 0),
    };
  });
}
