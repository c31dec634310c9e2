// Tables and the append function of the PostgreSQL event store (the same SQL on PGlite).
//
// Global order is (transaction_id, seq). A reader only reads events whose transaction
// id is below the oldest transaction still running (pg_snapshot_xmin): every such
// transaction has finished, and any later one gets a higher id, so the part of the
// log a reader sees never gains an event behind it. A bigserial alone would not do:
// transactions commit out of sequence order, and a reader could pass a gap that is
// filled later.
//
// es_append decides and writes an append in one statement on a locked stream row, so
// every expected-revision mode is atomic, and a repeat of ids already written at the
// same place returns the original result instead of writing twice.
export const EVENT_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS es_streams (
  name text PRIMARY KEY,
  -- revision of the last event; -1 while the stream has none
  revision bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS es_events (
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq bigserial NOT NULL,
  event_id uuid NOT NULL,
  stream text NOT NULL,
  revision bigint NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (transaction_id, seq),
  UNIQUE (stream, revision),
  UNIQUE (event_id)
);

CREATE OR REPLACE FUNCTION es_append(
  p_stream text, p_expected text, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
) RETURNS TABLE (outcome text, revision bigint, commit_position text, prepare_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_current bigint;
  v_count int := cardinality(p_ids);
  v_found int;
  v_first bigint;
  v_in_place boolean;
  v_seq bigint;
BEGIN
  SELECT s.revision INTO v_current FROM es_streams s WHERE s.name = p_stream FOR UPDATE;
  IF NOT FOUND THEN
    -- A concurrent creator makes this wait for its commit, then do nothing.
    INSERT INTO es_streams (name, revision) VALUES (p_stream, -1) ON CONFLICT (name) DO NOTHING;
    SELECT s.revision INTO v_current FROM es_streams s WHERE s.name = p_stream FOR UPDATE;
  END IF;

  -- Idempotency: the same ids, already written contiguously in this stream.
  SELECT count(*), min(e.revision) INTO v_found, v_first
    FROM es_events e WHERE e.event_id = ANY (p_ids);
  IF v_found > 0 THEN
    SELECT bool_and(e.stream = p_stream AND e.revision = v_first + i.ord - 1)
      INTO v_in_place
      FROM unnest(p_ids) WITH ORDINALITY AS i(id, ord) JOIN es_events e ON e.event_id = i.id;
    IF v_found = v_count AND v_in_place AND (
         p_expected IN ('any', 'stream_exists')
      OR (p_expected = 'no_stream' AND v_first = 0)
      OR (p_expected ~ '^[0-9]+$' AND v_first = p_expected::bigint + 1)) THEN
      RETURN QUERY SELECT 'duplicate'::text, e.revision, e.transaction_id::text, e.seq
        FROM es_events e WHERE e.event_id = p_ids[v_count];
      RETURN;
    END IF;
    RETURN QUERY SELECT 'wrong_expected_revision'::text, v_current, NULL::text, NULL::bigint;
    RETURN;
  END IF;

  IF (p_expected = 'no_stream' AND v_current <> -1)
     OR (p_expected = 'stream_exists' AND v_current = -1)
     OR (p_expected ~ '^[0-9]+$' AND v_current <> p_expected::bigint) THEN
    RETURN QUERY SELECT 'wrong_expected_revision'::text, v_current, NULL::text, NULL::bigint;
    RETURN;
  END IF;

  INSERT INTO es_events (event_id, stream, revision, type, data, metadata)
    SELECT x.id, p_stream, v_current + x.ord, x.type, x.data, x.metadata
      FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS x(id, type, data, metadata, ord)
      ORDER BY x.ord;
  UPDATE es_streams SET revision = v_current + v_count WHERE name = p_stream;
  SELECT max(e.seq) INTO v_seq FROM es_events e
    WHERE e.transaction_id = pg_current_xact_id() AND e.stream = p_stream;
  RETURN QUERY SELECT 'appended'::text, v_current + v_count, pg_current_xact_id()::text, v_seq;
END $$;
`;
