"""Data minimisation per form: drafts, decided and unpaid applications are removed or
anonymised nightly when their form says so, with their files, and it is audited."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import CaseEvent, Draft, Submission
from rathaus.modules.applications.retention import retention_apply
from rathaus.modules.applications.services import draft_save
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import dog_definition, publish
from tests.modules.applications.test_case_workflow import _ask, _citizen_sends, _staff
from tests.modules.applications.test_uploads import PDF

LATER = timezone.now() + dt.timedelta(days=31)


def _with(rules: dict[str, Any]) -> dict[str, Any]:
    definition = dog_definition()
    definition["retention"] = rules
    return definition


def _answered_and_decided(town: Municipality, client: Client) -> Submission:
    """Erika's case: asked back, answered with a PDF, decided with a text."""
    case = _citizen_sends(town, client)
    staff = _staff(town, client)
    _ask(staff, case)
    client.post(
        f"/applications/account/{case.reference}/",
        {
            "text": "Anbei, Erika Mustermann",
            "files": [SimpleUploadedFile("nachweis.pdf", PDF, content_type="application/pdf")],
        },
    )
    staff.post(f"/staff/applications/cases/{case.pk}/decide/", {"status": "done", "text": "Ja."})
    with tenant_context(town):
        return Submission.objects.get(pk=case.pk)


def test_a_decided_case_is_anonymised_after_its_days_with_its_files_and_audited_once(
    client_a: Client,
    applications_a: Municipality,
    django_capture_on_commit_callbacks: Any,
) -> None:
    publish(applications_a, _with({"finished_days": 30, "drafts_days": 60}))
    case = _answered_and_decided(applications_a, client_a)
    with tenant_context(applications_a):
        version = case.version
        old = draft_save(version=version, answers={"owner_name": "Alt"}, done=[], user=None)
        Draft.objects.filter(pk=old.pk).update(saved_at=timezone.now() - dt.timedelta(days=70))
        fresh = draft_save(version=version, answers={"owner_name": "Neu"}, done=[], user=None)
        names = [
            item["file"] for e in CaseEvent.objects.filter(submission=case) for item in e.files
        ]
        assert len(names) == 2  # the answer's PDF and the decision
        assert all(private_storage().exists(name) for name in names)

    with tenant_context(applications_a):
        too_early = retention_apply(town=applications_a)
        with django_capture_on_commit_callbacks(execute=True):
            done = retention_apply(town=applications_a, now=LATER)
        again = retention_apply(town=applications_a, now=LATER)
        kept = Submission.objects.get(pk=case.pk)
        events = list(CaseEvent.objects.filter(submission=kept))
        drafts = list(Draft.objects.values_list("pk", flat=True))
        entries = AuditEntry.objects.filter(action="applications.case.retention").order_by("pk")
        sentences = [line.sentence for line in audit_lines(entries)]

    assert too_early == {"anonymised": [], "deleted": [], "drafts": 1}
    assert done == {"anonymised": [case.reference], "deleted": [], "drafts": 0}
    assert again == {"anonymised": [], "deleted": [], "drafts": 0}
    assert kept.reference == case.reference
    assert kept.status == Submission.Status.DONE
    assert (kept.answers, kept.email, kept.applicant_name, kept.user) == ({}, "", "", None)
    assert all(not e.text and not e.files and e.author is None for e in events)
    assert drafts == [fresh.pk]
    with tenant_context(applications_a):
        assert not any(private_storage().exists(name) for name in names)
    assert sentences == [
        "Aufbewahrungsfrist des Formulars „Hund anmelden“ abgelaufen: 1 Entwurf gelöscht.",
        "Aufbewahrungsfrist des Formulars „Hund anmelden“ abgelaufen: "
        f"1 Antrag anonymisiert ({case.reference}).",
    ]


def test_a_form_may_delete_decided_cases_and_cases_never_paid_and_others_keep_theirs(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a, _with({"finished_days": 30, "finished_action": "delete"}))
    case = _citizen_sends(applications_a, client_a)
    _staff(applications_a, client_a).post(
        f"/staff/applications/cases/{case.pk}/decide/", {"status": "rejected", "text": "Nein."}
    )
    with tenant_context(applications_a):
        unpaid = Submission.objects.create(
            reference="A-2026-999999",
            form=case.form,
            version=case.version,
            answers={"owner_name": "X"},
            status=Submission.Status.AWAITING_PAYMENT,
        )
        open_case = Submission.objects.create(
            reference="A-2026-999998", form=case.form, version=case.version, answers={"a": 1}
        )

        done = retention_apply(town=applications_a, now=LATER)
        remaining = set(Submission.objects.values_list("reference", flat=True))

    assert done == {"anonymised": [], "deleted": [case.reference], "drafts": 0}
    assert remaining == {unpaid.reference, open_case.reference}  # no failed_days: kept


def test_without_rules_nothing_goes(client_a: Client, applications_a: Municipality) -> None:
    publish(applications_a)
    _answered_and_decided(applications_a, client_a)

    with tenant_context(applications_a):
        done = retention_apply(town=applications_a, now=LATER + dt.timedelta(days=3650))
        assert Submission.objects.get().answers

    assert done == {"anonymised": [], "deleted": [], "drafts": 0}


def test_a_bad_retention_rule_is_refused_with_its_path(
    client_a: Client, applications_a: Municipality
) -> None:
    from rathaus.modules.applications.definition import definition_problems

    problems = definition_problems(_with({"finished_days": 0, "finished_action": "shred"}))

    assert any(p.startswith("$.retention.finished_days") for p in problems)
    assert any(p.startswith("$.retention.finished_action") for p in problems)
