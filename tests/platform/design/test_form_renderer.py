"""Every Django form renders the KERN/GOV.UK way, without the form doing anything."""

from django import forms

from rathaus.platform.design.templatetags.design import offered_by


class ApplicationForm(forms.Form):
    email = forms.EmailField(
        label="E-Mail-Adresse", help_text="Wir schreiben Ihnen nur zu diesem Antrag."
    )
    nickname = forms.CharField(label="Rufname", required=False)
    kind = forms.ChoiceField(
        label="Art des Hundes",
        choices=[("dog", "Hund"), ("listed", "Listenhund")],
        widget=forms.RadioSelect,
    )
    district = forms.ChoiceField(
        label="Ortsteil", choices=[("a", "Lüderitz"), ("b", "Tangerhütte")]
    )
    consent = forms.BooleanField(label="Ich habe die Hinweise gelesen.")


def test_labels_stand_above_their_inputs_with_the_hint_between() -> None:
    html = str(ApplicationForm())

    label, hint, field = (
        html.index('<label class="kern-label" for="id_email">'),
        html.index('id="id_email_hint"'),
        html.index('<input type="email" name="email"'),
    )
    assert label < hint < field
    assert 'aria-describedby="id_email_hint"' in html
    assert 'class="kern-form-input__input"' in html


def test_a_field_that_may_stay_empty_says_so() -> None:
    html = str(ApplicationForm())

    nickname = html[html.index('for="id_nickname"') :]
    assert nickname.index("optional") < nickname.index("</label>")
    email = html[html.index('for="id_email"') :]
    assert "optional" not in email[: email.index("</label>")]


def test_fields_get_the_autocomplete_their_name_says() -> None:
    html = str(ApplicationForm())

    assert 'autocomplete="email"' in html


def test_radios_are_a_fieldset_with_a_legend_and_each_option_labelled() -> None:
    html = str(ApplicationForm())

    assert '<legend class="kern-label">Art des Hundes' in html
    first = html[html.index('id="id_kind_0"') - 80 :]
    assert 'class="kern-form-check__radio"' in first[: first.index(">", 80)]
    assert '<label class="kern-label" for="id_kind_1">Listenhund</label>' in html


def test_a_select_and_a_checkbox_get_kerns_widgets() -> None:
    html = str(ApplicationForm())

    assert (
        '<div class="kern-form-input__select-wrapper">'
        '<select name="district" class="kern-form-input__select"'
    ) in html
    assert 'class="kern-form-check__checkbox"' in html


def test_an_error_stands_at_its_field_and_is_announced_with_it() -> None:
    form = ApplicationForm(data={"email": "keine-adresse", "kind": "dog", "district": "a"})

    html = str(form)

    assert 'class="kern-form-input kern-form-input--error"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_email_hint id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert "kern-form-check--error" in html  # the consent that was not given


def test_the_header_says_which_authority_offers_the_site() -> None:
    class Branding:
        authority_name = ""

    class Town:
        name = "Tangerhütte"

    branding = Branding()
    assert offered_by(branding, Town()) == "Ein Angebot von Tangerhütte"
    branding.authority_name = "Stadt Tangerhütte"
    assert offered_by(branding, Town()) == "Ein Angebot der Stadt Tangerhütte"
    branding.authority_name = "Gemeinde Hohe Börde"
    assert offered_by(branding, Town()) == "Ein Angebot der Gemeinde Hohe Börde"
    branding.authority_name = "Markt Schwaben"
    assert offered_by(branding, Town()) == "Ein Angebot des Marktes Schwaben"
