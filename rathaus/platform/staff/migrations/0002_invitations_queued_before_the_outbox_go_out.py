# Staff invitations queued before the outbox (rathaus.platform.messaging) reach people:
# the old task sent the mail and wrote "staff.invited" to the audit log in one
# transaction, so an active staff member without a password and without that entry
# (and without an invitation in the outbox) was never invited: queued once, here.

from django.conf import settings
from django.db import migrations, router

# The ledger entry is written first and its id kept in the message: a worker of the
# old release, still running during the deploy, finds it and sends nothing; should
# one have sent just before, the message sees a second entry and is skipped.
REQUEUE = """
    WITH unsent AS (
        SELECT u.id, u.email, u.date_joined
          FROM identity_user u
         WHERE u.is_staff AND u.is_active AND u.email <> '' AND u.password LIKE '!%%'
           AND lower(u.email) NOT LIKE '%%@rathaus.invalid'
           AND NOT EXISTS (SELECT 1 FROM audit_auditentry a
                            WHERE a.action = 'staff.invited' AND a.target = u.email)
           AND NOT EXISTS (SELECT 1 FROM messaging_outboxmessage m
                            WHERE m.kind = 'staff.invitation' AND m.recipient_id = u.id)
    ), ledger AS (
        INSERT INTO audit_auditentry (created_at, actor_kind, actor, action, target, before, after)
        SELECT now(), 'system', 'invitation', 'staff.invited', email, NULL,
               '{"queued": "after the move to the outbox"}'::jsonb
          FROM unsent
        RETURNING id, target
    )
    INSERT INTO messaging_outboxmessage
        (key, channel, kind, recipient_id, address, context, language, "group", state,
         attempts, next_attempt_at, claimed_at, claimed_by, sent_at, error, created_at)
    SELECT 'staff.invitation:' || u.id, 'email', 'staff.invitation', u.id, u.email,
           jsonb_build_object('user', u.id, 'ledger_entry', l.id), %s, '', 'pending',
           -- Due since the member was added and carried by no task: beat's
           -- messaging.requeue sends it at its next run.
           0, u.date_joined, NULL, '', NULL, '', now()
      FROM unsent u
      JOIN ledger l ON l.target = u.email
    ON CONFLICT (key) DO NOTHING
"""


def requeue_unsent_invitations(apps, schema_editor):
    if router.allow_migrate(schema_editor.connection.alias, "messaging"):
        schema_editor.execute(REQUEUE, [settings.LANGUAGE_CODE])


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0001_initial"),
        ("messaging", "0001_initial"),
        ("audit", "0002_append_only"),
        ("identity", "0005_confirmations_move_to_the_outbox"),
    ]

    operations = [
        migrations.RunPython(requeue_unsent_invitations, migrations.RunPython.noop),
    ]
