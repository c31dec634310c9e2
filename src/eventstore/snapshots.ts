// Snapshots of aggregate state, so that loading a long stream with a cold cache reads
// only the events after the latest snapshot (DESIGN.md §5). A snapshot is a cache, never
// the truth: the log is. Losing one costs a longer load, so writes may fail quietly, and
// a snapshot of another shape (an older `version`) is ignored. They live in the SQL
// database whichever store holds the log: the deployment always has one.
import { migrateUnderLock, type Pool } from '../database.js';

export interface Snapshot {
  /** Revision of the last event folded into `state`. */
  readonly revision: bigint;
  readonly state: unknown;
}

export interface SnapshotStore {
  /** The stream's latest snapshot of this shape, or null. */
  read(stream: string, version: number): Promise<Snapshot | null>;
  /** Keeps it unless a snapshot of a later revision is there already. */
  write(stream: string, version: number, snapshot: Snapshot): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS es_snapshots (
  stream text PRIMARY KEY,
  version integer NOT NULL,
  revision bigint NOT NULL,
  state jsonb NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now()
)`;

export class PostgresSnapshotStore implements SnapshotStore {
  constructor(private readonly pool: Pool) {}

  async migrate(): Promise<void> {
    await migrateUnderLock(this.pool, 'es-snapshots', SCHEMA);
  }

  async read(stream: string, version: number): Promise<Snapshot | null> {
    const { rows } = await this.pool.query<{ revision: string; state: unknown }>(
      'SELECT revision::text, state FROM es_snapshots WHERE stream = $1 AND version = $2',
      [stream, version],
    );
    const row = rows[0];
    return row ? { revision: BigInt(row.revision), state: row.state } : null;
  }

  async write(stream: string, version: number, snapshot: Snapshot): Promise<void> {
    // A newer shape always wins; within a shape, the later revision does.
    await this.pool.query(
      `INSERT INTO es_snapshots (stream, version, revision, state) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream) DO UPDATE SET version = excluded.version, revision = excluded.revision, state = excluded.state, taken_at = now()
       WHERE es_snapshots.version < excluded.version
          OR (es_snapshots.version = excluded.version AND es_snapshots.revision < excluded.revision)`,
      [stream, version, String(snapshot.revision), JSON.stringify(snapshot.state)],
    );
  }
}
