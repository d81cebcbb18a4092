"""Thresholds and generalisation that keep anonymous answers anonymous (DESIGN.md rule 3).

Three layers, each documented in docs/surveys.md:

1. **At submission** values held by fewer than `min_group_size()` people of the round's
   audience become "Other", and only the dimensions on which every combination has at least
   that many people are stored (k-anonymity of the stored rows, by global recoding, so no row
   stands out by what it lacks).
2. **When a round is finalised** (closed), the same is applied to the responses themselves,
   since the "has responded" record could otherwise narrow a stored combination held by few
   responses down to one person.
3. **When results are shown**, complementary suppression (`suppression.py`): no set of fewer
   than the minimum responses can be derived from the figures shown, per question too.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tete import suppression
from tete.accounts.models import Person

# From least to most identifying; generalisation prefers to keep the earlier ones.
DIMENSIONS: tuple[str, ...] = ("team", "manager", "location", "tenure", "role")
DIMENSION_LABELS = {
    "team": "Team",
    "manager": "Manager's reports",
    "location": "Location",
    "tenure": "Tenure",
    "role": "Role",
}
TENURE_BANDS = ("Under 1 year", "1–3 years", "3 years or more")


def min_group_size() -> int:
    """The minimum group size: the setting, never below 3 (shared with the leaders' view)."""
    return suppression.min_group_size()


def tenure_band(start: dt.date | None, today: dt.date) -> str:
    if start is None:
        return ""
    years = (today - start).days / 365.25
    if years < 1:
        return TENURE_BANDS[0]
    if years < 3:
        return TENURE_BANDS[1]
    return TENURE_BANDS[2]


def person_attributes(person: Person, today: dt.date) -> dict[str, str]:
    """A person's coarse attributes; empty values are left out."""
    values = {
        "team": person.team.name if person.team_id and person.team else "",
        "manager": str(person.manager_id) if person.manager_id else "",
        "location": person.location.strip(),
        "tenure": tenure_band(person.start_date, today),
        "role": person.title.strip(),
    }
    return {k: v for k, v in values.items() if v}


OTHER = "Other"
#: What bucket_counts calls a value that was not recorded.
NOT_RECORDED = "Not recorded"


def recode_values(values: Sequence[str], k: int) -> dict[str, str]:
    """Map each value to itself, or to "Other" when fewer than k people hold it.

    If "Other" would then hold 1..k-1 people, the smallest remaining values join it, so that
    "Other" is itself at least k (or empty). "" (not recorded) is a value like any other.
    """
    counts = Counter(values)
    mapping = {v: v for v in counts}
    small = [v for v, n in counts.items() if n < k]
    if not small:
        return mapping
    large = sorted((v for v, n in counts.items() if n >= k), key=lambda v: (counts[v], v))
    folded = sum(counts[v] for v in small)
    while 0 < folded < k and large:
        value = large.pop(0)
        small.append(value)
        folded += counts[value]
    for value in small:
        mapping[value] = OTHER
    if set(mapping.values()) == {OTHER}:
        return dict.fromkeys(counts, "")  # everyone in "Other" says nothing: drop it
    return mapping


def safe_dimensions(population: Sequence[Mapping[str, str]], k: int) -> tuple[str, ...]:
    """The largest set of dimensions on which every combination in `population` has >= k people.

    The same set applies to every row (global recoding): a row that kept fewer attributes than
    the others would itself stand out. Ties go to the less identifying dimensions.
    """
    for size in range(len(DIMENSIONS), 0, -1):
        for dims in itertools.combinations(DIMENSIONS, size):
            counts = Counter(tuple(p.get(d, "") for d in dims) for p in population)
            if all(n >= k for n in counts.values()):
                return dims
    return ()


@dataclass(frozen=True)
class Recoding:
    """How a population's attributes are generalised: rare values become "Other", then only
    dimensions safe together are kept. Applied identically to every row."""

    maps: dict[str, dict[str, str]]
    dimensions: tuple[str, ...]

    def apply(self, attrs: Mapping[str, str]) -> dict[str, str]:
        kept = {d: self.maps[d].get(attrs.get(d, ""), OTHER) for d in self.dimensions}
        return {d: v for d, v in kept.items() if v}


def recoding(population: Sequence[Mapping[str, str]], k: int) -> Recoding:
    maps = {d: recode_values([p.get(d, "") for p in population], k) for d in DIMENSIONS}
    recoded = [{d: maps[d][p.get(d, "")] for d in DIMENSIONS} for p in population]
    return Recoding(maps, safe_dimensions(recoded, k))


def generalise(
    attrs: Mapping[str, str], population: Sequence[Mapping[str, str]], k: int
) -> dict[str, str]:
    """The attributes to store with an answer, generalised against the whole audience
    (`population`, which includes the respondent): every stored combination is shared by at
    least k people of the audience."""
    return recoding(population, k).apply(attrs)


def coarsen(groups: Sequence[Mapping[str, str]], k: int) -> list[dict[str, str]]:
    """Generalise a round's stored attributes so each combination is held by >= k responses.

    Used when a round is finalised: the audience was large enough at submission, but the
    "has responded" record could narrow a combination held by few responses to one person.
    """
    rule = recoding(groups, k)
    return [rule.apply(g) for g in groups]


def bucket_counts(
    values: Iterable[str], k: int, other: str = OTHER
) -> list[tuple[str, int | None]]:
    """Counts per value, with every value under k folded into `other` (itself shown only at k).

    If the folded remainder is between 1 and k-1, the smallest shown values are folded in too,
    so that no count under k can be read off by subtraction from the total.
    """
    counts = Counter(v or NOT_RECORDED for v in values)
    shown = {v: n for v, n in counts.items() if n >= k}
    rest = sum(counts.values()) - sum(shown.values())
    for value in sorted(shown, key=shown.__getitem__):
        if rest == 0 or rest >= k:
            break
        rest += shown.pop(value)
    ordered = sorted(shown.items(), key=lambda item: (-item[1], item[0]))
    result: list[tuple[str, int | None]] = list(ordered)
    if rest >= k:
        result.append((other, rest))
    elif rest:
        result.append((other, None))  # "fewer than k": too few to show a number
    return result
