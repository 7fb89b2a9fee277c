# Booking e-mails go through the outbox (rathaus.platform.messaging); a booking
# remembers the language it was made in, for its e-mails.

from django.db import migrations, models, router

# The e-mails of bookings not over yet become outbox rows under the keys the code
# uses now: waiting ones are sent, and a reminder sent already is not sent again.
MOVE_MAILS = r"""
    INSERT INTO messaging_outboxmessage
        (key, channel, kind, recipient_id, address, context, language, "group", state,
         attempts, next_attempt_at, claimed_at, claimed_by, sent_at, error, created_at)
    SELECT 'appointments.booking:' || b.uuid || ':' || m.kind || ':' || m.suffix,
           'email', 'appointments.booking', b.user_id, b.email,
           jsonb_build_object(
               'booking', b.uuid::text, 'event', m.kind,
               'start', CASE WHEN m.kind = 'reminder' AND m.suffix ~ '^\d+$'
                             THEN m.suffix::bigint
                             ELSE extract(epoch FROM b.start)::bigint END),
           '', '',
           CASE WHEN m.skipped THEN 'skipped' WHEN m.sent_at IS NOT NULL THEN 'sent'
                ELSE 'pending' END,
           0, now(), NULL, '', m.sent_at, '', m.created_at
      FROM (SELECT *, CASE WHEN key ~ '^\d{4}-\d{2}-\d{2}T'
                           THEN extract(epoch FROM key::timestamptz)::bigint::text
                           ELSE key END AS suffix
              FROM appointments_outgoingmail) m
      JOIN appointments_booking b ON b.id = m.booking_id
     WHERE b."end" > now()
    ON CONFLICT (key) DO NOTHING
"""


def move_mails(apps, schema_editor):
    if router.allow_migrate(schema_editor.connection.alias, "messaging"):
        schema_editor.execute(MOVE_MAILS)


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0004_time_range_first_in_the_constraint'),
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='language',
            field=models.CharField(blank=True, max_length=8),
        ),
        migrations.RunPython(move_mails, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='OutgoingMail',
        ),
    ]
