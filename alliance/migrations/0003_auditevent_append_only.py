"""The audit trail is append-only in the database itself, not only in the admin (issue 10).

A trigger refuses every DELETE and every UPDATE of `alliance_auditevent`, whoever runs it (a
superuser in the admin, a shell, a bug), with one exception: Django's own `SET_NULL` when a
staff account is deleted, which may change `actor_id` to NULL and nothing else. Audit rows
hold ids, action codes and timestamps only (never a name, address or free text), so the
retention purge never needs to erase them (docs/decisions/0014-*). TRUNCATE is not a row
event and stays possible for a test database's flush; no application code truncates.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION alliance_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
       AND NEW.object_type = OLD.object_type AND NEW.object_id = OLD.object_id
       AND NEW.detail = OLD.detail THEN
        RETURN NEW;  -- the actor's account was deleted (ON DELETE SET NULL)
    END IF;
    RAISE EXCEPTION 'audit events are never changed or deleted (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER alliance_auditevent_append_only
    BEFORE UPDATE OR DELETE ON alliance_auditevent
    FOR EACH ROW EXECUTE FUNCTION alliance_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS alliance_auditevent_append_only ON alliance_auditevent;
DROP FUNCTION IF EXISTS alliance_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("alliance", "0002_staff_setup_link")]

    operations = [migrations.RunSQL(CREATE, DROP)]
