"""On PostgreSQL, the audit tables refuse UPDATE and DELETE.

The only exception is the retention purge of the access log (``relais audit purge``),
which sets the transaction-local setting ``relais.audit_purge`` to 'on' and moves the
chain anchor in the same transaction. The chain heads may move forward, never back, and
their anchor moves only during a purge.

SQLite has no equivalent of a transaction-local setting; there the hash chain alone
reveals an edit (``relais audit verify``).
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION relais_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND TG_TABLE_NAME = 'audit_accessevent'
       AND current_setting('relais.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'Le journal d''audit n''accepte que des ajouts : % refusé sur %.',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION relais_audit_append_only();

CREATE TRIGGER audit_changeevent_append_only
    BEFORE UPDATE OR DELETE ON audit_changeevent
    FOR EACH ROW EXECUTE FUNCTION relais_audit_append_only();

CREATE OR REPLACE FUNCTION relais_audit_chainhead_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Une tête de chaîne d''audit ne se supprime pas.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.organisation_id <> OLD.organisation_id OR NEW.stream <> OLD.stream
       OR NEW.last_seq < OLD.last_seq
       OR (NEW.last_seq = OLD.last_seq AND NEW.last_hash <> OLD.last_hash) THEN
        RAISE EXCEPTION 'Une tête de chaîne d''audit ne recule pas.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.anchor_seq <> OLD.anchor_seq OR NEW.anchor_hash <> OLD.anchor_hash)
       AND (NEW.anchor_seq < OLD.anchor_seq
            OR current_setting('relais.audit_purge', true) IS DISTINCT FROM 'on') THEN
        RAISE EXCEPTION 'L''ancre d''une chaîne d''audit ne bouge que lors d''une purge.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_chainhead_forward_only
    BEFORE UPDATE OR DELETE ON audit_chainhead
    FOR EACH ROW EXECUTE FUNCTION relais_audit_chainhead_forward_only();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS audit_chainhead_forward_only ON audit_chainhead;
DROP TRIGGER IF EXISTS audit_changeevent_append_only ON audit_changeevent;
DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
DROP FUNCTION IF EXISTS relais_audit_chainhead_forward_only();
DROP FUNCTION IF EXISTS relais_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_accessevent_supervision")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
