""" "Neuigkeiten abonnieren" in the town's catalogue while news is on."""

from django.test import Client

from rathaus.tenants.models import Municipality
from tests.modules.conftest import switch_on


def test_news_offers_its_subscription_while_it_is_on(
    client_a: Client, town_a: Municipality
) -> None:
    assert client_a.get("/leistungen/neuigkeiten-abonnieren/").status_code == 404

    switch_on(town_a, "news")
    page = client_a.get("/leistungen/neuigkeiten-abonnieren/").content.decode()

    assert "Neuigkeiten aus dem Rathaus abonnieren" in page
    assert "kostenlos" in page
    assert 'href="/news/subscribe/"' in page
