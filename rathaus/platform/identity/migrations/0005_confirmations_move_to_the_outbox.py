# The confirmation e-mail and the SMS code go through the outbox (rathaus.platform.messaging).

from django.db import migrations, router

# Confirmation e-mails and codes still waiting become outbox rows, so none is lost.
MOVE_WAITING = [
    """
    INSERT INTO messaging_outboxmessage
        (key, channel, kind, recipient_id, address, context, language, "group", state,
         attempts, next_attempt_at, claimed_at, claimed_by, sent_at, error, created_at)
    SELECT 'identity.email_confirmation:' || c.user_id || ':legacy-' || c.id, 'email',
           'identity.email_confirmation', c.user_id, c.email,
           jsonb_build_object('user', c.user_id), c.language, '', 'pending',
           0, now(), NULL, '', NULL, '', c.created_at
      FROM identity_emailconfirmation c
      JOIN identity_user u ON u.id = c.user_id
     WHERE c.sent_at IS NULL AND u.email_verified_at IS NULL AND u.email = c.email
    ON CONFLICT (key) DO NOTHING
    """,
    """
    INSERT INTO messaging_outboxmessage
        (key, channel, kind, recipient_id, address, context, language, "group", state,
         attempts, next_attempt_at, claimed_at, claimed_by, sent_at, error, created_at)
    SELECT 'identity.phone_code:' || p.id, 'sms', 'identity.phone_code', p.user_id, p.phone,
           jsonb_build_object('challenge', p.id), p.language, '', 'pending',
           0, now(), NULL, '', NULL, '', p.created_at
      FROM identity_phonechallenge p
     WHERE p.sent_at IS NULL AND p.used_at IS NULL
       AND p.created_at > now() - interval '10 minutes'
    ON CONFLICT (key) DO NOTHING
    """,
]


def move_waiting(apps, schema_editor):
    # Identity is migrated in the public schema too, where there is no outbox.
    if not router.allow_migrate(schema_editor.connection.alias, "messaging"):
        return
    for sql in MOVE_WAITING:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('identity', '0004_email_confirmation_phone_code_sent'),
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(move_waiting, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='phonechallenge',
            name='language',
        ),
        migrations.RemoveField(
            model_name='phonechallenge',
            name='sent_at',
        ),
        migrations.DeleteModel(
            name='EmailConfirmation',
        ),
    ]
