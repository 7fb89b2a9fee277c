"""Chains each town's audit entries by hash, in the database, so no writer can skip it.

``audit_entry_digest`` is the one definition of an entry's hash: SHA-256 over the
previous entry's hash and the entry's fields, joined by the unit separator, with the
time in UTC and the JSON in jsonb's canonical text. The insert trigger takes a lock
(entries of one town are chained one after the other), gives the entry the next id
under that lock (so id order is chain order) and writes both hashes. Nothing names a
schema: the functions work in whichever town's table they fire, also after a rename.
Existing entries are chained in id order.
"""

from django.db import migrations, models

GENESIS = "0" * 64

CHAIN = f"""
CREATE FUNCTION audit_entry_digest(
    previous text, id bigint, created_at timestamptz, actor_kind text, actor text,
    action text, target text, before jsonb, after jsonb
) RETURNS text AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        previous, id::text,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor_kind, actor, action, target,
        coalesce(before::text, 'null'), coalesce(after::text, 'null')
    ), 'UTF8')), 'hex')
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION audit_entry_chain() RETURNS trigger AS $$
DECLARE
    previous text;
BEGIN
    -- One writer at a time per town's log, until its transaction ends.
    PERFORM pg_advisory_xact_lock(hashtext(TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME));
    NEW.id := nextval(pg_get_serial_sequence(
        format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'));
    EXECUTE format('SELECT entry_hash FROM %I.%I ORDER BY id DESC LIMIT 1',
                   TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO previous;
    NEW.previous_hash := coalesce(previous, '{GENESIS}');
    NEW.entry_hash := audit_entry_digest(
        NEW.previous_hash, NEW.id, NEW.created_at, NEW.actor_kind, NEW.actor,
        NEW.action, NEW.target, NEW.before, NEW.after);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update_or_delete;
DO $$
DECLARE
    entry record;
    previous text := '{GENESIS}';
BEGIN
    FOR entry IN SELECT * FROM audit_auditentry ORDER BY id LOOP
        UPDATE audit_auditentry SET previous_hash = previous,
            entry_hash = audit_entry_digest(previous, entry.id, entry.created_at,
                entry.actor_kind, entry.actor, entry.action, entry.target,
                entry.before, entry.after)
        WHERE id = entry.id RETURNING entry_hash INTO previous;
    END LOOP;
END
$$;
ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update_or_delete;

CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_chain();
"""

UNCHAIN = """
DROP TRIGGER audit_entry_chain ON audit_auditentry;
DROP FUNCTION audit_entry_chain();
DROP FUNCTION audit_entry_digest(text, bigint, timestamptz, text, text, text, text, jsonb, jsonb);
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunSQL(CHAIN, UNCHAIN),
    ]
