-- A citizen's new draft in one round trip (server/src/online/repo.ts insertDraftWithin): the
-- lock on the citizen, then the count and the insert. In a volatile function each statement
-- takes its own snapshot, so the count, taken after the lock, sees every draft committed
-- before it; the lock ends with the caller's statement (its own transaction).
CREATE FUNCTION "motcua_insert_draft"(
  "p_id" text, "p_personal_id" text, "p_procedure_id" text, "p_data" jsonb, "p_receiving_unit" text,
  "p_updated_at" timestamptz, "p_expires_at" timestamptz, "p_max" integer
) RETURNS SETOF "online_drafts" LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('online-drafts:' || "p_personal_id"));
  -- A draft is the citizen's own working copy, made again in a moment if lost: no wait for the WAL flush.
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN QUERY
    INSERT INTO "online_drafts" ("id", "personal_id", "procedure_id", "data", "receiving_unit", "updated_at", "expires_at")
    SELECT "p_id", "p_personal_id", "p_procedure_id", "p_data", "p_receiving_unit", "p_updated_at", "p_expires_at"
    WHERE (SELECT count(*) FROM "online_drafts" WHERE "personal_id" = "p_personal_id" AND "expires_at" > "p_updated_at") < "p_max"
    RETURNING *;
END;
$$;
