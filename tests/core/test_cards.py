"""``{% cards %}``: a table that folds into one card per row on a phone, each value labelled."""

from django.template import Context, Template

from corridor.core.cards import as_cards


def test_each_body_cell_is_labelled_with_its_columns_heading():
    table = (
        '<table id="x"><thead><tr><th>Date</th><th><abbr title="Référence">Réf.</abbr></th>'
        "<th></th></tr></thead><tbody><tr><td>07/12</td><td><a href='/1/'>TG-1</a></td>"
        "<td><button>Ouvrir</button></td></tr>"
        '<tr><td colspan="3">Rien.</td></tr></tbody></table>'
    )
    cards = as_cards(table)
    assert cards.startswith('<table id="x" class="cards">')
    assert '<td data-label="Date">07/12</td>' in cards
    assert "<td data-label=\"Réf.\"><a href='/1/'>TG-1</a></td>" in cards
    assert "<td><button>" in cards  # a column without a heading gets no label
    assert '<td colspan="3">Rien.</td>' in cards  # the empty list's single cell neither


def test_a_heading_is_escaped_once_and_a_class_is_kept():
    cards = as_cards(
        '<table class="wide"><thead><tr><th>Nom &amp; prénom</th><th>"Alias"</th></tr></thead>'
        '<tbody><tr><td>A</td><td data-label="Mine">B</td></tr></tbody></table>'
    )
    assert '<table class="cards wide">' in cards
    assert '<td data-label="Nom &amp; prénom">A</td>' in cards
    assert '<td data-label="Mine">B</td>' in cards  # a label the template wrote stays


def test_a_table_without_headings_is_left_alone():
    assert as_cards("<table><tr><td>1</td></tr></table>") == "<table><tr><td>1</td></tr></table>"


def test_the_tag_renders_what_it_wraps():
    template = Template(
        "{% load corridor %}{% cards %}<table><thead><tr><th>{{ h }}</th></tr></thead>"
        "<tbody>{% for v in values %}<tr><td>{{ v }}</td></tr>{% endfor %}</tbody></table>"
        "{% endcards %}"
    )
    html = template.render(Context({"h": "<Âge>", "values": [9, "<b>"]}))
    assert '<td data-label="&lt;Âge&gt;">9</td>' in html
    assert '<td data-label="&lt;Âge&gt;">&lt;b&gt;</td>' in html


def test_a_rows_own_heading_is_the_cards_title_and_takes_no_label():
    cards = as_cards(
        "<table><thead><tr><th></th><th>Personnes</th><th>Sexe</th></tr></thead>"
        "<tbody><tr><th>Poursuivis</th><td>3</td><td>femme : 1<br>homme : 2</td></tr></tbody></table>"
    )
    assert "<tr><th>Poursuivis</th>" in cards
    assert '<td data-label="Personnes">3</td>' in cards
    assert '<td data-label="Sexe">femme : 1<br>homme : 2</td>' in cards
