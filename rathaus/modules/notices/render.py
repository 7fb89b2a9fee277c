"""A recipient's notice as a letter: the template's letterhead and body filled in."""

from collections.abc import Mapping, Sequence

from django.core.files.storage import default_storage
from django.utils import timezone

from rathaus.platform.branding.models import Branding
from rathaus.platform.branding.selectors import current_branding
from rathaus.tenants.current import current_town

from .letters import Letter, Letterhead, Rendered, letter_render, placeholders_fill
from .models import Recipient, Template


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _coat_of_arms(branding: Branding) -> bytes:
    if not branding.coat_of_arms:
        return b""
    name = branding.coat_of_arms.name or ""
    if not name.lower().endswith((".png", ".jpg", ".jpeg")):
        return b""  # SVG and others are left out of the letterhead
    try:
        with default_storage.open(name, "rb") as file:
            return bytes(file.read())
    except OSError:
        return b""


def letterhead_for(template: Template) -> Letterhead:
    """The current town's letterhead with ``template``'s sender, contact and bank lines."""
    branding = current_branding()
    authority = branding.authority_name or current_town().name
    contact = (
        [template.office, *_lines(template.contact)]
        if template.office
        else _lines(template.contact)
    )
    return Letterhead(
        authority=authority,
        sender_line=template.sender_line,
        contact=contact,
        bank_details=_lines(template.bank_details),
        coat_of_arms=_coat_of_arms(branding),
    )


def town_letterhead() -> Letterhead:
    """The current town's letterhead from its branding alone (a cover letter's)."""
    branding = current_branding()
    authority = branding.authority_name or current_town().name
    address = _lines(branding.address)
    contact = [line for line in (branding.contact_phone, branding.contact_email) if line]
    return Letterhead(
        authority=authority,
        sender_line=" · ".join([authority, *address])[:90],
        contact=contact,
        coat_of_arms=_coat_of_arms(branding),
    )


def cover_letter(*, address: Sequence[str], subject: str, body: str) -> bytes:
    """A DIN 5008 cover page with the address in the window, for documents that have none."""
    paragraphs = [part.strip() for part in body.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return letter_render(
        head=town_letterhead(),
        letter=Letter(
            address=address,
            subject=subject,
            paragraphs=paragraphs,
            date_line=timezone.localdate().strftime("%d.%m.%Y"),
        ),
    ).pdf


def placeholder_values(
    *, name: str, recipient_key: str, values: Mapping[str, str]
) -> dict[str, str]:
    return {**values, "name": name, "schluessel": recipient_key}


def letter_build(
    *,
    template: Template,
    address: Sequence[str],
    values: Mapping[str, str],
    reference: str = "",
) -> Letter:
    """One notice from ``template`` with ``values`` for its placeholders."""
    paragraphs = [
        placeholders_fill(paragraph.strip(), values)
        for paragraph in template.body.replace("\r\n", "\n").split("\n\n")
        if paragraph.strip()
    ]
    return Letter(
        address=address,
        subject=placeholders_fill(template.subject, values),
        paragraphs=paragraphs,
        date_line=timezone.localdate().strftime("%d.%m.%Y"),
        reference=reference,
    )


def letter_for(
    *,
    template: Template,
    head: Letterhead,
    address: Sequence[str],
    values: Mapping[str, str],
    reference: str = "",
) -> Rendered:
    """Renders one notice from ``template`` with ``values`` for its placeholders."""
    return letter_render(
        head=head,
        letter=letter_build(template=template, address=address, values=values, reference=reference),
    )


def recipient_letter(*, recipient: Recipient, head: Letterhead | None = None) -> Rendered:
    template = recipient.run.template
    return letter_for(
        template=template,
        head=head or letterhead_for(template),
        address=recipient.address_lines,
        values=placeholder_values(
            name=recipient.name, recipient_key=recipient.recipient_key, values=recipient.values
        ),
        reference=recipient.recipient_key,
    )


def template_placeholders(template: Template) -> list[str]:
    """The ``{names}`` the template's subject and body use, in order, once each."""
    import re

    found = re.findall(r"\{([a-z0-9_]+)\}", f"{template.subject}\n{template.body}")
    return list(dict.fromkeys(found))
