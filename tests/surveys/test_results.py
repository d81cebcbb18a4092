"""Results, exports and insights: thresholds everywhere, crafted filters refused, safe cells."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.surveys.conftest import answers_for
from tete.surveys import actions, insights
from tete.surveys.exports import safe_cell, to_xlsx
from tete.surveys.results import enps


def results_url(survey, **params):
    from urllib.parse import urlencode

    return reverse("surveys:results", args=[survey.pk]) + (
        "?" + urlencode(params) if params else ""
    )


def answer_all(survey, people, comment="", close=True, **kw):
    """Open the survey (its audience is everyone created so far), answer as `people`, and
    close it: anonymous results by group show once a round has closed."""
    round_ = actions.open_survey(survey) if survey.status == "draft" else survey.rounds.last()
    for i, person in enumerate(people):
        actions.submit_response(
            round_, person, answers_for(survey, score=1 + i % 5, comment=comment, **kw)
        )
    if close:
        actions.close_survey(survey)
    return round_


@pytest.fixture
def open_pulse(pulse):
    """The pulse, opened by `answer_all` once the test has made its people."""
    return pulse


def test_enps_is_promoters_minus_detractors():
    assert enps([10, 9, 8, 7, 0]) == 20
    assert enps([0] * 4) == -100
    assert enps([]) is None


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_results_appear_only_at_the_minimum(client_for, alice, open_pulse, crowd, answers, shown):
    answer_all(open_pulse, crowd(answers), comment="A distinctive remark")
    page = client_for(alice).get(results_url(open_pulse)).content.decode()
    assert ("Not enough answers yet" not in page) is shown
    assert ("A distinctive remark" in page) is shown
    assert ("eNPS" in page) is shown


def test_an_optional_question_with_too_few_answers_is_hidden(client_for, alice, open_pulse, crowd):
    people = crowd(6)
    round_ = actions.open_survey(open_pulse)
    for i, person in enumerate(people):
        actions.submit_response(
            round_, person, answers_for(open_pulse, comment="lonely comment" if i == 0 else "")
        )
    actions.close_survey(open_pulse)
    page = client_for(alice).get(results_url(open_pulse)).content.decode()
    assert "lonely comment" not in page
    assert "Fewer than 5 answers" in page


def test_a_crafted_group_filter_below_the_minimum_is_refused(client_for, alice, open_pulse, crowd):
    # 6 Paris + 5 Berlin + alice/bob (no location): Berlin is safe for the audience...
    people = crowd(6) + crowd(5, location="Berlin")
    # ...but only 4 Berlin people answer.
    answer_all(open_pulse, people[:6] + people[6:10], comment="berlin secret")
    client = client_for(alice)
    page = client.get(results_url(open_pulse, group="location:Berlin")).content.decode()
    assert "That group is not shown" in page
    assert 'aria-current="true">Everyone' in page
    assert "&amp;group=location%3ABerlin" not in page
    # Paris (6) is refused too: everyone (10) minus Paris would be the 4 Berlin answers.
    page = client.get(results_url(open_pulse, group="location:Paris")).content.decode()
    assert "That group is not shown" in page


@pytest.mark.parametrize(
    "group", ["team:Platform;location:Berlin", "location:Berlin&group=team:Platform", "role:"]
)
def test_filter_combinations_cannot_be_crafted(client_for, alice, open_pulse, crowd, group):
    answer_all(open_pulse, crowd(6) + crowd(5, location="Berlin")[:4])
    page = client_for(alice).get(results_url(open_pulse, group=group)).content.decode()
    assert "That group is not shown" in page


def test_groups_above_the_minimum_on_both_sides_are_shown(
    client_for, alice, bob, open_pulse, crowd
):
    for person in (alice, bob):
        person.location = "Paris"
        person.save()
    answer_all(open_pulse, crowd(5) + crowd(5, location="Berlin"), comment="shared view")
    page = client_for(alice).get(results_url(open_pulse, group="location:Berlin")).content.decode()
    assert "That group is not shown" not in page
    assert "Berlin" in page and "shared view" in page


def test_export_shows_only_thresholded_aggregates(client_for, alice, open_pulse, crowd):
    answer_all(open_pulse, crowd(6), comment='=HYPERLINK("http://evil")')
    client = client_for(alice)
    body = client.get(reverse("surveys:results_csv", args=[open_pulse.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:4] == ["round", "group", "question", "answer"]
    assert all(len(row) <= 8 for row in rows)
    # The comment is there, defused; no cell starts with a formula character.
    assert any(row[3].startswith("'=HYPERLINK") for row in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    # No row joins several answers of one person.
    assert not any("groups" in cell or "@example.com" in cell for row in rows for cell in row)


def test_export_below_the_minimum_holds_no_answers(client_for, alice, open_pulse, crowd):
    answer_all(open_pulse, crowd(4), comment="too few to show")
    body = client_for(alice).get(reverse("surveys:results_csv", args=[open_pulse.pk])).content
    assert b"too few to show" not in body
    assert b"Fewer than 5 answers" in body


def test_export_refuses_a_crafted_group(client_for, alice, open_pulse, crowd):
    answer_all(open_pulse, crowd(6) + crowd(5, location="Berlin")[:4], comment="berlin")
    body = (
        client_for(alice)
        .get(reverse("surveys:results_csv", args=[open_pulse.pk]) + "?group=location:Berlin")
        .content.decode()
    )
    assert "location: Berlin" not in body
    assert "Everyone" in body


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_cells_are_defused(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("fine") == "fine"
    assert safe_cell(3) == 3


def test_xlsx_cells_are_plain_text():
    from openpyxl import load_workbook

    data = to_xlsx([["header"], ["=cmd|' /C calc'!A0"], ["@SUM(1)"]], "t")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [row[0].value for row in sheet.iter_rows()]
    assert values == ["header", "'=cmd|' /C calc'!A0", "'@SUM(1)"]
    assert all(row[0].data_type == "s" for row in sheet.iter_rows())


def test_xlsx_download(client_for, alice, open_pulse, crowd):
    answer_all(open_pulse, crowd(5))
    response = client_for(alice).get(reverse("surveys:results_xlsx", args=[open_pulse.pk]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_named_survey_exports_one_row_per_person(client_for, alice, open_pulse, bob):
    open_pulse.anonymous = False
    open_pulse.save()
    round_ = actions.open_survey(open_pulse)
    actions.submit_response(round_, bob, answers_for(open_pulse, comment="-named"))
    body = client_for(alice).get(reverse("surveys:results_csv", args=[open_pulse.pk])).content
    assert b"Bob Jones" in body and b"'-named" in body


def test_trends_between_rounds_and_topics(client_for, alice, pulse, crowd):
    import datetime as dt

    pulse.recurrence = "weekly"
    pulse.save()
    people = crowd(6)
    start = dt.date.today() - dt.timedelta(days=14)
    pulse.opens_on = start
    pulse.status = "open"
    pulse.save()
    for week, comment in enumerate(["too many meetings", "on-call is heavy and on-call pages"]):
        day = start + dt.timedelta(days=7 * week)
        round_ = actions.ensure_current_round(pulse, day, notify=False)
        for i, person in enumerate(people):
            actions.submit_response(
                round_, person, answers_for(pulse, score=2 + week, comment=f"{comment} {i}"), day
            )
    actions.ensure_current_round(pulse)
    page = client_for(alice).get(results_url(pulse, round=2)).content.decode()
    assert "Average by round" in page
    assert "Rising" in page and "call" in page
    assert "Response rate by round" in page


def test_results_page_query_count_does_not_grow_with_history(
    client_for, alice, pulse, crowd, django_assert_max_num_queries
):
    import datetime as dt

    pulse.recurrence = "weekly"
    pulse.opens_on = dt.date.today() - dt.timedelta(days=7 * 8)
    pulse.status = "open"
    pulse.save()
    people = crowd(5)
    for week in range(8):
        day = pulse.opens_on + dt.timedelta(days=7 * week)
        round_ = actions.ensure_current_round(pulse, day, notify=False)
        for person in people:
            actions.submit_response(round_, person, answers_for(pulse, comment="fine"), day)
    actions.ensure_current_round(pulse)  # this week's round, opened lazily by the first view
    client = client_for(alice)
    with django_assert_max_num_queries(16):
        assert client.get(results_url(pulse)).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("surveys:insights", args=[pulse.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("surveys:detail", args=[pulse.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("surveys:list")).status_code == 200


def test_insights_show_counts_never_names_and_fold_small_groups(
    client_for, alice, open_pulse, crowd
):
    people = crowd(6) + crowd(1, location="Lisbon", title="Unique Title")
    answer_all(open_pulse, people[:5], comment="we need fewer meetings")
    page = client_for(alice).get(reverse("surveys:insights", args=[open_pulse.pk])).content
    page = page.decode()
    assert "Lisbon" not in page and "Unique Title" not in page
    assert "Other" in page
    assert "Person " not in page  # no respondent names
    assert "meetings" in page


def test_insights_give_the_response_rate_of_every_row_they_count(
    client_for, alice, bob, open_pulse, crowd
):
    for person in (alice, bob):
        person.location = "Paris"
        person.save()
    paris = [alice, bob, *crowd(3, location="Paris")]
    lisbon, rome = crowd(3, location="Lisbon"), crowd(3, location="Rome")
    # Paris: 3 of 5 answer. Lisbon and Rome (3 each, under the minimum) are folded into
    # "Other" (6 people), where 3 answer.
    answer_all(open_pulse, paris[:3] + lisbon[:2] + rome[:1])
    found = insights.build(open_pulse)
    assert found.audience["Location"] == [("Paris", 5), ("Other", 6)]
    assert found.rates["Location"] == {"Other": 50, "Paris": 60}
    page = client_for(alice).get(reverse("surveys:insights", args=[open_pulse.pk])).content
    by_location = page.decode().split("By location", 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>Other</td>\s*<td[^>]*>6</td>\s*<td[^>]*>50%</td>", by_location)
    assert re.search(r"<td>Paris</td>\s*<td[^>]*>5</td>\s*<td[^>]*>60%</td>", by_location)


def test_insights_rows_of_fewer_than_the_minimum_show_no_rate(
    client_for, alice, bob, open_pulse, crowd
):
    # An audience of four: every row is folded into "Other", too small to show, so it has
    # no rate either.
    lisbon = crowd(2, location="Lisbon")
    answer_all(open_pulse, lisbon)
    found = insights.build(open_pulse)
    assert ("Other", None) in found.audience["Location"]
    assert "Other" not in found.rates["Location"]
    page = client_for(alice).get(reverse("surveys:insights", args=[open_pulse.pk])).content
    by_location = page.decode().split("By location", 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>Other</td>\s*<td[^>]*>fewer than 5</td>\s*<td[^>]*>—</td>", by_location)


def test_groups_are_compared_side_by_side_only_within_thresholds(
    client_for, alice, bob, open_pulse, crowd
):
    for person in (alice, bob):
        person.location = "Paris"
        person.save()
    paris, berlin = crowd(5), crowd(5, location="Berlin")
    answer_all(open_pulse, paris + berlin)
    page = client_for(alice).get(results_url(open_pulse)).content.decode()
    table = page[
        page.index("Groups compared") : page.index("</table>", page.index("Groups compared"))
    ]
    assert "<td>Everyone</td>" in table and "<td>Berlin</td>" in table and "<td>Paris</td>" in table


def test_a_comparison_never_includes_a_group_below_the_minimum(
    client_for, alice, bob, open_pulse, crowd
):
    for person in (alice, bob):
        person.location = "Paris"
        person.save()
    # Berlin is large enough in the audience, but only 4 of its people answer.
    answer_all(open_pulse, crowd(6) + crowd(5, location="Berlin")[:4])
    page = client_for(alice).get(results_url(open_pulse)).content.decode()
    assert "<td>Berlin</td>" not in page and "<td>Paris</td>" not in page


def test_a_question_moves_only_at_steps_that_bring_it_the_minimum():
    from tete.surveys.results import _last_step

    assert _last_step([], 3) == 0
    assert _last_step([1, 1], 3) == 0
    assert _last_step([1, 1, 1], 3) == 1
    # Step 2 brings one answer, step 3 two more: the question moves at step 3, not 2.
    assert _last_step([1, 1, 1, 2], 3) == 1
    assert _last_step([1, 1, 1, 2, 3, 3], 3) == 3


def test_public_link_results_show_in_steps_and_say_how_many_wait(client_for, alice, settings):
    from tete.surveys.models import Response, Survey

    form = actions.create_survey(alice, title="Feedback", audience=Survey.Audience.PUBLIC)
    actions.add_bank_set(form, "coaching_feedback")
    actions.open_survey(form)
    links = actions.create_invitations(form, [f"Client {i}" for i in range(7)])
    scale = form.questions.filter(kind="scale").first()
    for link in links:
        actions.submit_public_response(link, {str(scale.pk): "5"})
    # Five answers make the first step; the two after it wait, shuffled with the rest.
    steps = sorted(Response.objects.values_list("release", flat=True), key=lambda r: r or 0)
    assert steps == [None, None, 1, 1, 1, 1, 1]
    page = client_for(alice).get(results_url(form)).content.decode()
    assert "2 newer answers will show with the next step" in page
    assert "5 answers</span>" in page and "7 answers" not in page


def test_insights_topics_come_only_from_comment_lists_the_results_show(
    client_for, alice, open_pulse, crowd
):
    people = crowd(10)
    round_ = actions.open_survey(open_pulse)
    for i, person in enumerate(people):
        comment = "zebra crossings everywhere" if i < 3 else ""
        actions.submit_response(round_, person, answers_for(open_pulse, comment=comment))
    actions.close_survey(open_pulse)
    # Ten answers, but three comments: under the minimum, so no word of them shows anywhere.
    client = client_for(alice)
    assert (
        "zebra"
        not in client.get(reverse("surveys:insights", args=[open_pulse.pk])).content.decode()
    )
    assert "zebra" not in client.get(results_url(open_pulse)).content.decode()


def test_topics_by_group_use_only_comment_lists_both_rounds_show_for_it(
    client_for, alice, pulse, crowd
):
    import datetime as dt

    from tete.accounts.models import Team

    pulse.recurrence = "weekly"
    pulse.opens_on = dt.date.today() - dt.timedelta(days=14)
    pulse.status = "open"
    pulse.save()
    product = Team.objects.create(name="Product")
    pulse.audience = "everyone"
    pulse.save()
    platform, other = crowd(6), crowd(6, team=product, manager=None)
    for week, words in enumerate(["meetings meetings", "oncall oncall"]):
        day = pulse.opens_on + dt.timedelta(days=7 * week)
        round_ = actions.ensure_current_round(pulse, day, notify=False)
        for i, person in enumerate(platform + other):
            # In the second round only three of Product comment: no team's comments list.
            quiet = week == 1 and person in other[3:]
            comment = "" if quiet else f"{words} {i}"
            actions.submit_response(round_, person, answers_for(pulse, comment=comment), day)
    actions.ensure_current_round(pulse)
    client = client_for(alice)
    everyone = client.get(results_url(pulse, round=2)).content.decode()
    assert "Topics since the last round" in everyone and "oncall" in everyone
    by_team = client.get(results_url(pulse, round=2, group="team:Platform")).content.decode()
    assert 'aria-current="true">Platform' in by_team
    assert "Topics since the last round" not in by_team and "oncall" not in by_team
    assert "Comments are listed by group only when every group" in by_team


def test_an_open_round_says_when_results_come_rather_than_refusing_a_group(
    client_for, alice, open_pulse, crowd
):
    answer_all(open_pulse, crowd(6), close=False)
    page = client_for(alice).get(results_url(open_pulse, group="team:Platform")).content.decode()
    assert "Results when the round closes" in page
    assert "That group is not shown" not in page


def normalised(rows):
    """Rows padded to the header's width, numbers as numbers (a spreadsheet keeps 3.0 as 3)."""

    def cell(value):
        try:
            return float(value)
        except ValueError:
            return value

    return [[cell(v) for v in row + [""] * (8 - len(row))] for row in rows]


def test_the_xlsx_export_holds_exactly_the_rows_of_the_csv(
    client_for, alice, bob, open_pulse, crowd
):
    from openpyxl import load_workbook

    for person in (alice, bob):
        person.location = "Paris"
        person.save()
    answer_all(open_pulse, crowd(5) + crowd(5, location="Berlin"), comment="same rows")
    client = client_for(alice)
    for group in ("", "location:Berlin"):
        query = f"?group={group}"
        body = client.get(reverse("surveys:results_csv", args=[open_pulse.pk]) + query)
        csv_rows = [row for row in csv.reader(io.StringIO(body.content.decode()))]
        book = client.get(reverse("surveys:results_xlsx", args=[open_pulse.pk]) + query)
        sheet = load_workbook(io.BytesIO(book.content)).active
        xlsx_rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        assert normalised(csv_rows) == normalised(xlsx_rows)
        assert any("same rows" in cell for row in csv_rows for cell in row)
