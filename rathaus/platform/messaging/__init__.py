"""Messaging: every e-mail and SMS a town sends goes through one outbox, and goes once.

The outbox (``models.OutboxMessage``) holds one row per message to one recipient
over one channel, in the town's schema. Whoever owns a message (appointments,
news, identity, the back office) registers a *message kind* that says what it
says, and enqueues rows of it; *channels* carry them (``contrib/email``,
``contrib/sms``; a module may bring more through ``Module.channels``). The
contracts of both are in ``registry``; the writes in ``services``.

Enqueueing
    ``services.message_enqueue(key=..., kind=..., address=..., context=...,
    recipient=..., language=...)`` writes the row in the caller's transaction and
    queues ``messaging.deliver`` once it commits, robustly: a broker outage never
    fails the caller's committed change. ``key`` (at most 200 characters) is the
    sender's idempotency key, e.g. ``appointments.booking:<uuid>:reminder:<start>``:
    enqueueing a key that exists returns the existing row and sends nothing more.
    Never put an address or a secret into a key (``keys.address_digest`` hashes an
    address) nor a secret into ``context`` (ids and plain JSON values only): links
    with tokens and one-time codes are made by the kind when the message goes out.
    ``language`` defaults to the current request's: the message is written in it.
    Bulk runs write many rows in one statement: ``messages_enqueue_many`` (a list,
    ``INSERT ... ON CONFLICT (key) DO NOTHING``) or ``messages_enqueue_from`` (an
    ``INSERT ... SELECT`` over a queryset, as news fans a post out), under a
    ``group`` such as ``news.post:17``, sent with ``messages_queue_group_on_commit``.
    ``message_prepare`` returns a checked, unsaved row for a sender that writes it in
    a statement of its own (appointments books and writes its e-mail in one round
    trip) and then calls ``message_queue_on_commit``.

States
    ``pending`` waits (``next_attempt_at`` says from when; a run that took it sets
    ``claimed_by``/``claimed_at``) -> ``sending`` while the channel has it in hand ->
    ``sent``. ``skipped``: the kind found that what it would say no longer holds
    (a "booked" e-mail for a booking cancelled since). ``failed``: the recipient was
    refused (no such mailbox, invalid number), the channel is not available in the
    town, or the transport stayed down through ``MESSAGING_MAX_ATTEMPTS``.
    ``unconfirmed``: the message may have gone out but nobody knows (a worker died
    while the channel had it, the connection broke after the message went over):
    it is never sent again, and staff see it as "unbestätigt" (the back office's
    "Nachrichten" page, ``selectors.messages_in_doubt``). ``attempts`` counts
    the claims.

Delivering (``services.messages_deliver``, tasks ``messaging.deliver`` and ``.deliver_batch``)
    1. Claim, in a short transaction: the waiting rows that are due
       (``next_attempt_at <= now``) and held by nobody (or by a run that stopped
       renewing its claim for ``MESSAGING_CLAIM_TIMEOUT``) get this *run's* claim,
       ``<task id>:<random>`` (``services.new_claim``): never the task id alone, as
       the broker may hand the same task to a second worker while the first still
       runs. A run renews its claim as it goes, so beat never takes a live run's
       rows. Rows not due yet are left waiting; the task comes back when the first
       is due.
    2. Render, with no transaction open: each kind renders its rows in their
       language, a batch at a time (news renders the post once per batch); ``None``
       marks a row ``skipped``; a kind that raises postpones its rows (a bug, logged).
    3. Hand over, with no transaction open, one channel session (one SMTP
       connection) per batch of ``channel.batch_size``: each row is marked
       ``sending`` and the one before ``sent`` in a single, synchronous statement
       that changes only rows this run still holds (the next one still waiting
       under its claim); a row another run took over is left to that run. A
       crash leaves at most one row per batch ``sending``. A refusal fails that row
       and the batch goes on; the transport down (``TemporaryFailure``) puts the
       row in hand and the rest back to ``pending`` with exponential back-off
       (``MESSAGING_RETRY_BASE`` doubling up to ``MESSAGING_RETRY_MAX``), and the
       task retries when the first is due; the transport broken while it had the
       message (``UncertainDelivery``, or any unexpected error) makes that row
       ``unconfirmed`` and postpones the rest.
    Nothing is sent twice: a row is handed over only by the run holding its claim,
    every mark is conditional on that claim, and once marked ``sending`` a row never
    goes back to waiting except when the channel said it did not take it. None of
    this rests on timeouts: ``MESSAGING_CLAIM_TIMEOUT`` only decides how soon a dead
    run's rows are sent by another; Redis' ``visibility_timeout``
    (``CELERY_BROKER_TRANSPORT_OPTIONS``) is longer than the longest retry wait, so
    the broker does not hand a waiting retry to a second worker.

Beat (``messaging.requeue``, every minute in every active town; idempotent)
    Turns rows left ``sending`` longer than the claim timeout into ``unconfirmed``
    and queues again, in batches, what is due for longer than
    ``MESSAGING_LOST_AFTER`` and held by nobody alive: the broker was down at the
    commit, a retry got lost, a worker died holding the claim. They then count as
    due from now, so the next run does not queue them twice. Rows waiting for
    their retry time are never queued early.

E-mail
    From is the town by name, at the platform's address, the same for every kind:
    ``"<town name> <address of DEFAULT_FROM_EMAIL>"``, or ``MESSAGING_FROM_EMAIL``
    where one is configured (``{host}`` in it: the town's host; see ``sender``);
    a kind's headers never replace From. Every row has a stable
    Message-ID (``<outbox.<id>.<schema>@<host>>``), so a duplicate would merge in
    mail clients, and a Content-Language header.

Privacy
    A kind with ``keep_address = False`` (the double opt-in to an address nobody
    has confirmed yet) keeps only key and state once the row is done: address and
    context are blanked in the statement that finishes it. "Meine Daten" lists a
    person's messages (channel, kind, state, dates; never a body) and deleting the
    account anonymises every row addressed to it, by account, e-mail address or
    phone number or their digest in a key (``personal_data``): account, address
    and context go, the address's digest (or the address) in the key and the
    address in a mail server's error are replaced, waiting rows are skipped.
"""
