# A post's e-mails and the double opt-in go through the outbox (rathaus.platform.messaging).

import django.db.models.deletion
from django.db import migrations, models, router

MOVE = [
    # Every delivery row: the staff's figures per post stay as they were.
    """
    INSERT INTO messaging_outboxmessage
        (key, channel, kind, recipient_id, address, context, language, "group", state,
         attempts, next_attempt_at, claimed_at, claimed_by, sent_at, error, created_at)
    SELECT 'news.post:' || d.post_id || ':' || d.subscriber_id, 'email', 'news.post',
           s.user_id, d.email, jsonb_build_object('post', d.post_id, 'subscriber', d.subscriber_id),
           '', 'news.post:' || d.post_id,
           CASE d.status WHEN 'claimed' THEN 'pending' WHEN 'sending' THEN 'unconfirmed'
                         WHEN 'bounced' THEN 'failed' ELSE d.status END,
           d.attempts, COALESCE(d.queued_at, now()), NULL, '', d.sent_at, d.error,
           COALESCE(d.queued_at, d.sent_at, now())
      FROM news_delivery d
      JOIN news_subscriber s ON s.id = d.subscriber_id
    ON CONFLICT (key) DO NOTHING
    """,
    # Who left through which post's e-mail.
    """
    UPDATE news_subscriber s SET unsubscribed_post_id = d.post_id
      FROM news_delivery d
     WHERE d.subscriber_id = s.id AND d.unsubscribed_at IS NOT NULL
       AND s.unsubscribed_at IS NOT NULL
    """,
    # Opt-in e-mails still waiting (a claimed one may have gone out: dropped, as before).
    """
    INSERT INTO messaging_outboxmessage
        (key, channel, kind, recipient_id, address, context, language, "group", state,
         attempts, next_attempt_at, claimed_at, claimed_by, sent_at, error, created_at)
    SELECT 'news.opt_in:legacy-' || o.id, 'email', 'news.opt_in', NULL, o.email,
           jsonb_build_object('topics', o.topic_ids), o.language, '', 'pending',
           0, now(), NULL, '', NULL, '', o.created_at
      FROM news_optinmail o
     WHERE o.claimed_at IS NULL
    ON CONFLICT (key) DO NOTHING
    """,
]


def move_to_the_outbox(apps, schema_editor):
    if router.allow_migrate(schema_editor.connection.alias, "messaging"):
        for sql in MOVE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0002_opt_in_mail'),
        ('messaging', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='subscriber',
            name='language',
            field=models.CharField(blank=True, max_length=8),
        ),
        migrations.AddField(
            model_name='subscriber',
            name='unsubscribed_post',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='news.post'),
        ),
        migrations.RunPython(move_to_the_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='OptInMail',
        ),
        migrations.DeleteModel(
            name='Delivery',
        ),
    ]
