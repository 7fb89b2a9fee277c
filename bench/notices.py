"""Bulk notices benchmark: the sample file of 2,100 rows through the real Celery worker,
a worker killed halfway and the run resumed.

    .venv/bin/python bench/notices.py [--concurrency 2]

Runs in a scratch database, Redis databases and a Celery queue of its own
(bench/_setup.py); needs no environment. A third of the rows are citizen accounts
that consented to electronic delivery (mailbox), two thirds go to print, to the
print partner's stand-in (``tests/print_standin.py``, Pingen's protocol) in this
process. The file is checked and preflighted (``check_seconds``), a second clerk
releases it, and the clock runs from the release to the last hand-over
(``seconds``). When half the notices are through, the worker is killed
(SIGKILL, its whole process group) and a new one started; the run is paused and
resumed as a clerk would, and the outbox's tidy-up (``messages_requeue``, beat's
job) runs every few seconds with short claim timeouts. Prints ``notices: 2100``,
``seconds: S``, ``duplicates: N`` (letters the stand-in got twice plus mailbox
notices provided twice; must be 0) and the outcome counts.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from _setup import ROOT, bench_setup

# Short claim timeouts, so a notice the killed worker held is tidied up in seconds.
os.environ.update(MESSAGING_CLAIM_TIMEOUT="20", MESSAGING_LOST_AFTER="20")
bench_setup("notices", timeout=900)

from django.core.management import call_command  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from rathaus.config.celery import app  # noqa: E402
from rathaus.modules.mailbox.models import DeliveryConsent, Message  # noqa: E402
from rathaus.modules.notices.demo_data import (  # noqa: E402
    SAMPLE_FILE,
    demo_template_values,
    sample_mailbox_email,
)
from rathaus.modules.notices.models import Recipient, Run, Template  # noqa: E402
from rathaus.modules.notices.selectors import run_progress, run_split  # noqa: E402
from rathaus.modules.notices.services import (  # noqa: E402
    run_finish_if_done,
    run_pause,
    run_release,
    run_resume,
    run_upload,
)
from rathaus.modules.services import module_allow, module_enable  # noqa: E402
from rathaus.platform.audit.services import Actor  # noqa: E402
from rathaus.platform.identity.models import User  # noqa: E402
from rathaus.platform.messaging.services import messages_requeue  # noqa: E402
from rathaus.tenants.models import Municipality  # noqa: E402
from rathaus.tenants.services import municipality_create  # noqa: E402
from tests.print_standin import PrintStandin  # noqa: E402

SYSTEM = Actor.system("bench")
GOAL_SECONDS = 20.0


def prepare() -> tuple[Municipality, Template, User, User]:
    call_command("migrate_schemas", interactive=False, verbosity=0)
    town = municipality_create(name="Tangerhütte", slug="benchnotices", ags="15090520")
    for key in ("mailbox", "notices"):
        module_allow(town=town, key=key, allowed=True, actor=SYSTEM)
        module_enable(town=town, key=key, enabled=True, actor=SYSTEM)
    with tenant_context(town):
        lines = SAMPLE_FILE.read_text(encoding="utf-8").splitlines()[1:]
        emails = [line.split(";")[0] for line in lines if "@" in line.split(";")[0]]
        assert emails[0] == sample_mailbox_email(0)
        users = User.objects.bulk_create(
            [
                User(email=email, first_name="Erika", last_name=f"Muster {i}")
                for i, email in enumerate(emails)
            ],
            batch_size=1000,
        )
        DeliveryConsent.objects.bulk_create(
            [DeliveryConsent(account=user, consented=True) for user in users], batch_size=1000
        )
        first = User.objects.create(email="kasse@example.org", is_staff=True, first_name="Kasse")
        second = User.objects.create(
            email="kaemmerer@example.org", is_staff=True, first_name="Kämmerer"
        )
        template = Template.objects.create(**demo_template_values(town))
    return town, template, first, second


def start_worker(standin: PrintStandin, concurrency: int) -> subprocess.Popen[bytes]:
    queue = str(app.conf.task_default_queue)
    env = {
        **os.environ,
        **standin.env(),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rathaus.config.celery",
            "worker",
            f"--concurrency={concurrency}",
            "--prefetch-multiplier=1",
            "--loglevel=error",
            "-Q",
            queue,
            f"--hostname=bench-{queue}-{time.monotonic_ns()}@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the Celery worker did not start")
    return worker


def kill(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the worker and its pool processes: no goodbye, no acks."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()

    town, template, first, second = prepare()
    standin = PrintStandin().start()
    for name, value in standin.env().items():
        setattr(__import__("django.conf").conf.settings, name, value)
    app.control.purge()
    worker = start_worker(standin, args.concurrency)
    killed = False
    try:
        with tenant_context(town):
            started = time.perf_counter()
            upload = run_upload(
                town=town,
                actor=SYSTEM,
                uploaded_by=first,
                template=template,
                filename=SAMPLE_FILE.name,
                content=SAMPLE_FILE.read_bytes(),
            )
            check_seconds = time.perf_counter() - started
            run = upload.run
            assert run is not None, [str(p) for p in upload.problems]
            split = run_split(run=run)
            started = time.perf_counter()
            run_release(town=town, actor=SYSTEM, run=run, released_by=second)
            last_tidy = time.monotonic()
            while True:
                run.refresh_from_db()
                progress = run_progress(run=run)
                if not killed and not args.no_kill and progress.done >= progress.total // 2:
                    kill(worker)
                    killed = True
                    killed_at = progress.done
                    worker = start_worker(standin, args.concurrency)
                    run_pause(town=town, actor=SYSTEM, run=run)
                    run_resume(town=town, actor=SYSTEM, run=run)
                if killed and time.monotonic() - last_tidy > 5:
                    messages_requeue()
                    last_tidy = time.monotonic()
                if run_finish_if_done(run=run):
                    break
                if time.perf_counter() - started > 600:
                    raise SystemExit("the run did not finish within 600 s")
                time.sleep(0.5)
            seconds = time.perf_counter() - started
            progress = run_progress(run=run)
            mailbox_messages = Message.objects.filter(source_key__startswith="notices:").count()
            mailbox_recipients = Recipient.objects.filter(run=run, route="mailbox").count()
            print_keys = set(
                Recipient.objects.filter(run=run, route="print").values_list(
                    "idempotency_key", flat=True
                )
            )
            state = Run.objects.get(pk=run.pk).state
        received = standin.keys()
        duplicates = standin.duplicates() + max(0, mailbox_messages - mailbox_recipients)
        print(f"notices: {progress.total}")
        print(f"mailbox: {split.mailbox}, print: {split.print}, postage: {split.postage} EUR")
        print(
            f"check_seconds: {check_seconds:.2f} (file check, routing, preflight of every letter)"
        )
        print(f"seconds: {seconds:.2f}")
        print(f"notices_per_s: {progress.total / seconds:.0f}")
        print(f"worker_concurrency: {args.concurrency}")
        if killed:
            print(f"worker_killed_after: {killed_at} notices")
        print(f"delivered_mailbox: {progress.mailbox}")
        print(f"handed_to_print: {progress.printed}")
        print(f"failed_or_unconfirmed: {progress.failed}")
        only_print = set(received) <= print_keys
        print(f"print_standin_received: {len(received)} (only print notices: {only_print})")
        print(f"duplicates: {duplicates}")
        print(f"ratio_vs_goal_{GOAL_SECONDS:.0f}s: {GOAL_SECONDS / seconds:.2f}")
        print(f"run_state: {state}")
        if duplicates or not set(received) <= print_keys:
            sys.exit(1)
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        standin.stop()


if __name__ == "__main__":
    main()
