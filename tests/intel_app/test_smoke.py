import pytest

from corridor.intel.models import Entity

URLS = [
    "/intel/",
    "/intel/entities/",
    "/intel/entities/new/",
    "/intel/links/new/",
    "/intel/events/new/",
    "/intel/reports/new/",
    "/intel/imports/",
    "/intel/duplicates/",
    "/intel/judgements/",
    "/intel/network/",
    "/intel/network.json",
    "/intel/export/ftm/",
    "/intel/export/gexf/",
    "/intel/export/graphml/",
    "/intel/export/pdf/",
    "/api/intel/entities/",
    "/api/intel/network/",
    "/api/intel/events/",
]


@pytest.mark.django_db
def test_every_page_renders(seeded, investigator):
    entity = Entity.objects.get(name="Kossi FICTIF")
    for url in [
        *URLS,
        f"/intel/entities/{entity.pk}/",
        f"/intel/entities/{entity.pk}/neighbours.json",
    ]:
        response = investigator.get(url)
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.django_db
def test_the_networks_table_names_countries(seeded, investigator):
    page = investigator.get("/intel/").content.decode()
    assert "Gabon" in page and "Togo" in page
    assert "GA, " not in page and ", TG" not in page
