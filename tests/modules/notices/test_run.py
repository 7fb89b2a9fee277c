"""Four-eyes release, the run through the real worker, mailbox and print once each, the
report; a run of town A is nowhere on town B."""

import csv
import io
import time
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message
from rathaus.modules.mailbox.services import consent_record
from rathaus.modules.notices.models import PrintJob, Recipient, Run, Template
from rathaus.modules.notices.services import (
    print_jobs_refresh,
    run_drive,
    run_pause,
    run_release,
    run_resume,
)
from rathaus.modules.services import module_allow
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.conftest import host_client
from tests.html import text_of
from tests.modules.conftest import VENDOR
from tests.print_standin import PrintStandin

from .conftest import CLERK, citizen, clerks, make_staff, on, rows, template_in


def _uploaded(client: Client, template: Template, content: bytes, town: Municipality) -> Run:
    response = client.post(
        "/staff/notices/upload/",
        {"template": template.pk, "file": SimpleUploadedFile("umlage.csv", content, "text/csv")},
    )
    assert response.status_code == 302, text_of(response.content.decode())
    with tenant_context(town):
        return Run.objects.latest("pk")


def test_the_uploader_cannot_release_a_second_clerk_can(
    client_a: Client, template_a: Template, notices_a: Municipality
) -> None:
    second = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    clerks(notices_a, client_a, second)
    run = _uploaded(client_a, template_a, rows(2), notices_a)
    url = f"/staff/notices/runs/{run.public_id}/"

    assert "Freigeben muss eine zweite Person" in text_of(client_a.get(url).content.decode())
    client_a.post(f"{url}release/")
    with tenant_context(notices_a):
        assert Run.objects.get(pk=run.pk).state == Run.State.CHECKED
    messages = text_of(client_a.get(url).content.decode())
    assert "Sie haben die Datei selbst hochgeladen" in messages

    with tenant_context(notices_a):
        # Released by the second clerk; the run itself is driven below, not by a worker.
        other = User.objects.get(email="kaemmerer@example.org")
        released = run_release(town=notices_a, actor=Actor.staff(other), run=run, released_by=other)
        assert released.state == Run.State.RELEASED
        assert released.released_by == other


@pytest.fixture
def committed(
    live_towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> Iterator[Municipality]:
    """Town A with both modules on, what the test writes committed (the worker must see it)
    and removed after."""
    town = live_towns["a"]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        on(town)
        try:
            yield town
        finally:
            with tenant_context(town):
                OutboxMessage.objects.filter(group__startswith="notices.run:").delete()
                OutboxMessage.objects.filter(kind="mailbox.notification").delete()
                Message.objects.all().delete()
                PrintJob.objects.all().delete()
                Run.objects.all().delete()
                Template.objects.all().delete()
                User.objects.filter(email__in=EMAILS).delete()
            for key in ("notices", "mailbox"):
                module_allow(town=town, key=key, allowed=False, actor=VENDOR)


EMAILS = ["erika.run@example.org", "kasse@example.org", "kaemmerer@example.org"]


@pytest.mark.worker
def test_a_run_goes_through_the_worker_once_each_to_mailbox_or_print(
    committed: Municipality, celery_worker: None, print_standin: PrintStandin
) -> None:
    town = committed
    client, second = host_client(town_host(slug=town.slug)), host_client(town_host(slug=town.slug))
    print_standin.clear()
    clerks(town, client, second)
    erika = citizen(town, email="erika.run@example.org")
    template = template_in(town)
    run = _uploaded(client, template, rows(6, mailbox=("erika.run@example.org",)), town)

    response = second.post(f"/staff/notices/runs/{run.public_id}/release/")

    assert response.status_code == 302
    deadline = time.monotonic() + 90
    progress: dict[str, object] = {}
    while time.monotonic() < deadline:
        progress = second.get(f"/staff/notices/runs/{run.public_id}/progress.json").json()
        if progress["state"] == "done":
            break
        time.sleep(0.3)
    assert progress["state"] == "done", progress
    assert (progress["mailbox"], progress["print"], progress["failed"]) == (1, 6, 0)
    with tenant_context(town):
        assert Message.objects.filter(owner=erika).count() == 1
        keys = set(run.recipients.filter(route="print").values_list("idempotency_key", flat=True))
    assert sorted(print_standin.keys()) == sorted(keys)
    assert print_standin.duplicates() == 0
    page = text_of(second.get(f"/staff/notices/runs/{run.public_id}/").content.decode())
    assert "Bericht" in page
    report = second.get(f"/staff/notices/runs/{run.public_id}/report.csv")
    lines = list(csv.DictReader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    outcomes = [line["ergebnis"] for line in lines]
    assert (outcomes.count("print"), outcomes.count("mailbox")) == (6, 1)
    # The partner posts one letter; the posting date is recorded.
    letter_id = next(iter(print_standin.letters))
    print_standin.set_status(letter_id, "sent", "2026-12-04T09:00:00+01:00")
    with tenant_context(town):
        assert print_jobs_refresh() == 1
        job = PrintJob.objects.get(partner_id=letter_id)
        assert job.status == "posted"
        assert str(job.posted_on) == "2026-12-04"
        # A drive delivered again (a worker that died before its ack) adds nothing.
        Run.objects.filter(pk=run.pk).update(state=Run.State.RELEASED)
        assert run_drive(run_id=run.pk, claim="again") == 0


def test_a_run_of_town_a_is_not_found_on_town_b(
    client_a: Client,
    client_b: Client,
    template_a: Template,
    notices_a: Municipality,
    notices_b: Municipality,
) -> None:
    clerks(notices_a, client_a, Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]))
    run = _uploaded(client_a, template_a, rows(1), notices_a)
    make_staff(notices_b, client_b, CLERK, email="kasse.b@example.org")
    base = f"/staff/notices/runs/{run.public_id}/"
    for path in ("", "preview.pdf", "progress.json", "report.csv"):
        assert client_a.get(base + path).status_code == 200, path
        assert client_b.get(base + path).status_code == 404, path
    assert client_b.post(base + "release/").status_code == 404
    assert client_b.get(f"/staff/notices/templates/{template_a.pk}/preview.pdf").status_code == 404


def test_a_paused_run_hands_nothing_over_until_it_is_resumed_and_each_notice_once(
    client_a: Client, template_a: Template, notices_a: Municipality
) -> None:
    _first, other = clerks(notices_a, client_a, Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]))
    run = _uploaded(client_a, template_a, rows(250), notices_a)
    with tenant_context(notices_a):
        actor = Actor.staff(other)
        run_release(town=notices_a, actor=actor, run=run, released_by=other)
        run_pause(town=notices_a, actor=actor, run=run)
        assert run_drive(run_id=run.pk, claim="paused") == 0
        assert not OutboxMessage.objects.filter(group=run.group).exists()
        run_resume(town=notices_a, actor=actor, run=run)
        assert run_drive(run_id=run.pk, claim="first", chunk=100) == 250
        # A second drive (a redelivered task) finds nothing left; each key is in the outbox once.
        assert run_drive(run_id=run.pk, claim="second", chunk=100) == 0
        assert OutboxMessage.objects.filter(group=run.group, channel="letter").count() == 250
        assert not Recipient.objects.filter(run=run, state=Recipient.State.WAITING).exists()


def test_a_lost_answer_of_the_print_partner_is_retried_under_the_same_key_one_letter(
    client_a: Client, template_a: Template, notices_a: Municipality, print_standin: PrintStandin
) -> None:
    from django.utils import timezone

    from tests.platform.messaging.helpers import deliver_waiting

    print_standin.clear()
    _first, other = clerks(notices_a, client_a, Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]))
    run = _uploaded(client_a, template_a, rows(3), notices_a)
    with tenant_context(notices_a):
        run_release(town=notices_a, actor=Actor.staff(other), run=run, released_by=other)
        run_drive(run_id=run.pk, claim="test")
    print_standin.lose_answers = 1  # the first letter is made, its answer lost

    deliver_waiting(notices_a, kinds=["notices.notice.letter"])
    with tenant_context(notices_a):
        # The partner seems down: the batch is tried again later, the reason kept.
        waiting = OutboxMessage.objects.filter(group=run.group, state="pending")
        assert waiting.count() == 3
        assert any("503" in row.error for row in waiting)
        waiting.update(next_attempt_at=timezone.now())
    deliver_waiting(notices_a, kinds=["notices.notice.letter"])

    with tenant_context(notices_a):
        assert OutboxMessage.objects.filter(group=run.group, state="sent").count() == 3
        assert PrintJob.objects.count() == 3
    assert len(print_standin.letters) == 3
    assert set(print_standin.letters_per_key().values()) == {1}  # one letter per recipient


def test_who_withdrew_consent_after_the_check_gets_a_letter_not_a_failure(
    client_a: Client, template_a: Template, notices_a: Municipality
) -> None:
    _first, other = clerks(notices_a, client_a, Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]))
    erika = citizen(notices_a, email="erika.widerruf@example.org")
    run = _uploaded(
        client_a, template_a, rows(3, mailbox=("erika.widerruf@example.org",)), notices_a
    )
    with tenant_context(notices_a):
        assert run.recipients.filter(route=Recipient.Route.MAILBOX).count() == 1
        consent_record(account=erika, consented=False)  # between the check and the run
        run_release(town=notices_a, actor=Actor.staff(other), run=run, released_by=other)
        assert run_drive(run_id=run.pk, claim="run", chunk=100) == 4
        withdrawn = run.recipients.get(account=erika)
        outbox = OutboxMessage.objects.get(key=withdrawn.idempotency_key)

    assert withdrawn.route == Recipient.Route.PRINT
    assert outbox.channel == "letter"
    assert outbox.address.splitlines()[0] == "Erika Mustermann"
