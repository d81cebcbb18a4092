"""The attacker's view of anonymous survey results (DESIGN.md access rule 3).

An attacker reads everything the results page and its CSV export show — for every round,
every group the page offers and crafted filters in the query string — and combines the
figures: a figure shown for a set of responses, next to one shown for another set, gives the
same figure for their difference, and comment lists give their intersection too. So what
can be derived about one question of one round is the statistic of any set in the set algebra
(unions, differences, intersections) of the sets whose figures are shown. That algebra is
built from its *atoms*: responses that belong to exactly the same shown sets. Every derivable
non-empty set is a union of atoms, so it is at least the minimum when every atom is.

`read_everything()` collects what is shown (`Reading`s, from the HTML and the CSV);
`isolated()` gives the derivable sets under the minimum, from the stored responses (which
responses are in a group and answered a question: the attacker's best knowledge) and, for
comments, from the shown comment lists alone (when every comment is distinct, a list *is*
its set of respondents).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qs, urlencode, urlparse

from django.core.cache import caches
from django.urls import reverse

from tete.surveys.models import Question, Response, Survey

EVERYONE = ""


@dataclass(frozen=True)
class Reading:
    """One question's figures for one set of responses, as a page or export showed them."""

    round: int
    group: str  # "dimension:value", or EVERYONE
    question: int
    comments: tuple[str, ...] = ()
    source: str = ""
    #: The number of answers the figures are computed over, where the page says it.
    answers: int | None = None


@dataclass
class Shown:
    readings: list[Reading] = field(default_factory=list)
    # (round, group) -> the number of answers the page says the group has
    sizes: dict[tuple[int, str], int] = field(default_factory=dict)


def atoms(sets: Iterable[frozenset]) -> list[frozenset]:
    """The non-empty cells of the partition `sets` make of their union."""
    sets = list(sets)
    cells: dict[tuple[bool, ...], set] = {}
    for member in set().union(*sets) if sets else set():
        cells.setdefault(tuple(member in s for s in sets), set()).add(member)
    return [frozenset(cell) for cell in cells.values()]


def small_atoms(sets: Iterable[frozenset], k: int) -> list[frozenset]:
    return [cell for cell in atoms(sets) if len(cell) < k]


# ---------------------------------------------------------------- reading what is shown


def _results_url(survey: Survey, name: str, **params: object) -> str:
    return reverse(f"surveys:{name}", args=[survey.pk]) + "?" + urlencode(params)


_SECTION = re.compile(
    r'<section class="card survey-result" aria-labelledby="qr-(\d+)">(.*?)</section>', re.S
)
_CHIP = re.compile(
    r'<a class="survey-chip" href="([^"]*)"\s*(aria-current="true")?\s*>(.*?)</a>', re.S
)


def _figures_shown(card: str) -> bool:
    """Whether a question card shows any figure (an average, eNPS, counts or comments)."""
    return any(marker in card for marker in ("survey-figure__value", "<details", "survey-comments"))


def _comments(card: str) -> tuple[str, ...]:
    block = re.search(r'<ul class="survey-comments">(.*?)</ul>', card, re.S)
    if not block:
        return ()
    return tuple(unescape(c) for c in re.findall(r"<li>(.*?)</li>", block.group(1), re.S))


def _chips(page: str, label: str) -> list[tuple[dict[str, list[str]], bool, str]]:
    nav = re.search(rf'<nav class="survey-filters" aria-label="{label}">(.*?)</nav>', page, re.S)
    if not nav:
        return []
    return [
        (parse_qs(urlparse(unescape(href)).query), bool(current), re.sub("<[^>]+>", "", text))
        for href, current, text in _CHIP.findall(nav.group(1))
    ]


def read_page(page: str, source: str) -> tuple[int | None, str, list[Reading], dict]:
    """The round and group a results page shows, its readings, and the groups it offers."""
    rounds = [q for q, current, _ in _chips(page, "Rounds") if current]
    round_number = int(rounds[0]["round"][0]) if rounds else None
    offered: dict[str, int] = {}
    current_group = EVERYONE
    for query, current, text in _chips(page, "Groups"):
        slug = query.get("group", [EVERYONE])[0]
        size = re.search(r"\((\d+)\)\s*$", text.strip())
        if slug and size:
            offered[slug] = int(size.group(1))
        if current:
            current_group = slug
    readings = []
    if round_number is not None:
        for qid, card in _SECTION.findall(page):
            if _figures_shown(card):
                count = re.search(r'<span class="list__meta">(\d+) answers?</span>', card)
                readings.append(
                    Reading(
                        round_number,
                        current_group,
                        int(qid),
                        _comments(card),
                        source,
                        int(count.group(1)) if count else None,
                    )
                )
        readings += _comparison_readings(page, round_number, offered, source)
        readings += _trend_readings(page, current_group, source)
    return round_number, current_group, readings, offered


def _comparison_readings(
    page: str, round_number: int, offered: Mapping[str, int], source: str
) -> list[Reading]:
    """Averages in the "Groups compared" table: one reading per figure it shows."""
    table = re.search(r'aria-labelledby="compare-heading">(.*?)</section>', page, re.S)
    if not table:
        return []
    question_ids = [int(q) for q in re.findall(r'<th class="num" data-question="(\d+)"', table[1])]
    readings = []
    for row in re.findall(r'<tr data-group="([^"]*)">(.*?)</tr>', table.group(1), re.S):
        slug, cells = row
        values = re.findall(r'<td class="num">(.*?)</td>', cells, re.S)[1:]
        for qid, value in zip(question_ids, values, strict=True):
            if value.strip() not in ("—", ""):
                readings.append(Reading(round_number, unescape(slug), qid, (), source + "#compare"))
    return readings


def _trend_readings(page: str, group: str, source: str) -> list[Reading]:
    """Averages by round under each question: figures for the same group in other rounds."""
    readings = []
    for qid, card in _SECTION.findall(page):
        trend = re.search(r'<p class="small muted survey-trend">(.*?)</p>', card, re.S)
        if trend:
            for number, value in re.findall(r"#(\d+): ([^·<]+)", trend.group(1)):
                if value.strip() != "not shown":
                    readings.append(Reading(int(number), group, int(qid), (), source + "#trend"))
    return readings


def read_csv(body: str, round_number: int, labels: Mapping[str, str], texts: Mapping[str, int]):
    """Readings from a results CSV: a question with a count or a comment shows figures."""
    rows = list(csv.reader(io.StringIO(body)))
    by_question: dict[tuple[str, int], list[list[str]]] = {}
    for row in rows[1:]:
        if row[2] not in texts:
            continue  # a note about the whole round, such as results to come at its close
        group = labels.get(row[1], row[1])
        by_question.setdefault((group, texts[row[2]]), []).append(row)
    readings = []
    for (group, qid), question_rows in by_question.items():
        counted = [r for r in question_rows if len(r) > 4 and r[4] != ""]
        if counted:
            comments = tuple(r[3] for r in counted if r[5] == "" and r[4] == "1" and r[6] == "")
            readings.append(Reading(round_number, group, qid, comments, "csv"))
    return readings


CRAFTED = ["team:Platform;tenure:Other", "role:", "nonsense", "tenure:Other&group=team:Platform"]


def read_everything(client, survey: Survey, crafted: Iterable[str] = CRAFTED) -> Shown:
    """Open the results page and CSV for every round, every group offered or stored (a
    group the page does not offer must be refused) and crafted filters."""
    shown = Shown()
    texts = {q.text: q.pk for q in survey.questions.all()}
    stored = {
        f"{d}:{v}"
        for groups in Response.objects.filter(round__survey=survey).values_list("groups", flat=True)
        for d, v in groups.items()
    }
    for round_ in survey.rounds.order_by("number"):
        first = client.get(_results_url(survey, "results", round=round_.number)).content.decode()
        _, _, _, offered = read_page(first, "page")
        labels = {"Everyone": EVERYONE}
        for query, _, text in _chips(first, "Groups"):
            slug = query.get("group", [EVERYONE])[0]
            labels[re.sub(r"\s*\(\d+\)\s*$", "", text.strip())] = slug
        for group in dict.fromkeys([EVERYONE, *offered, *sorted(stored), *crafted]):
            params = {"round": round_.number, "group": group}
            page = client.get(_results_url(survey, "results", **params)).content.decode()
            number, _current, readings, groups = read_page(page, f"page?group={group}")
            if number != round_.number:
                continue
            shown.readings += readings
            for slug, size in groups.items():
                shown.sizes[(number, slug)] = size
            # The attacker here is not held back by the download limit (docs/deploy.md): the
            # figures must be safe even to someone who reads every export there is.
            caches["limits"].clear()
            response = client.get(_results_url(survey, "results_csv", **params))
            assert response.status_code == 200, (params, response.status_code)
            shown.readings += read_csv(response.content.decode(), number, labels, texts)
    return shown


# ---------------------------------------------------------------- what can be derived


def members(survey: Survey) -> dict[int, list[Response]]:
    """Each round's stored responses: the ground truth an attacker's sets are made of."""
    rounds: dict[int, list[Response]] = {}
    for response in Response.objects.filter(round__survey=survey).select_related("round"):
        rounds.setdefault(response.round.number, []).append(response)
    return rounds


def _in_group(response: Response, group: str) -> bool:
    if group == EVERYONE:
        return True
    dimension, _, value = group.partition(":")
    return response.groups.get(dimension) == value


def answered(response: Response, question: int) -> bool:
    return response.answers.get(str(question)) not in (None, "", [])


def isolated(
    survey: Survey, shown: Shown, k: int, only_released: bool = False
) -> Iterator[tuple[str, frozenset]]:
    """Every derivable non-empty set of fewer than k responses, with what it was built from.

    Responses are identified by their position among their round's stored rows.
    `only_released` counts, for surveys answered by public link, only the responses the
    results may already include.
    """
    truth = members(survey)
    families: dict[tuple[int, int], dict[str, frozenset]] = {}
    for reading in shown.readings:
        rows = truth.get(reading.round, [])
        ids = frozenset(
            i
            for i, r in enumerate(rows)
            if _in_group(r, reading.group)
            and answered(r, reading.question)
            and (not only_released or r.release is not None)
        )
        families.setdefault((reading.round, reading.question), {})[reading.group] = ids
    for (number, question), family in families.items():
        for cell in small_atoms(family.values(), k):
            yield f"round {number}, question {question}, groups {sorted(family)}", cell
    by_round: dict[int, dict[str, frozenset]] = {}
    for (number, group), _size in shown.sizes.items():
        rows = truth.get(number, [])
        everyone = frozenset(range(len(rows)))
        by_round.setdefault(number, {EVERYONE: everyone})[group] = frozenset(
            i for i, r in enumerate(rows) if _in_group(r, group)
        )
    for number, family in by_round.items():
        for cell in small_atoms(family.values(), k):
            yield f"round {number}, group sizes {sorted(family)}", cell


def isolated_comments(shown: Shown, k: int) -> Iterator[tuple[str, frozenset]]:
    """Derivable comment sets under k, from the shown comment lists alone."""
    lists: dict[tuple[int, int], dict[tuple[str, str], frozenset]] = {}
    for reading in shown.readings:
        if reading.comments:
            key = (reading.round, reading.question)
            lists.setdefault(key, {})[(reading.group, reading.source)] = frozenset(reading.comments)
    for (number, question), family in lists.items():
        for cell in small_atoms(family.values(), k):
            yield f"round {number}, question {question}, lists {sorted(family)}", cell


def question_ids(survey: Survey, kinds: Iterable[str]) -> list[int]:
    return list(Question.objects.filter(survey=survey, kind__in=kinds).values_list("pk", flat=True))
