"""Complementary suppression: which survey results may be shown (DESIGN.md access rule 3).

A results page shows figures — counts, averages, eNPS, comments — for a round's responses
("Everyone") and for groups of them (a team, a tenure band…). Whoever reads them can combine
them: Everyone's comments minus one group's comments are the other groups' comments; a team's
counts minus its sub-team's are the rest's; two overlapping groups' comment lists give their
intersection. Every set of responses that can be derived from shown sets by unions,
differences and intersections is a union of their **atoms**: the responses that belong to
exactly the same shown sets. So the rule is:

    every atom of the sets whose figures are shown is empty or holds at least the minimum.

Then no hidden group, nor any part of one, can be isolated, whatever is combined. While an
atom is too small, the smallest shown group that separates it from another atom is hidden
("hide the next-smallest group too"); Everyone is hidden last, and only when it is itself
under the minimum.

The rule is applied twice (`plan`):

1. to whole responses, to choose the groups a round offers (their numbers of answers show);
2. to each question, over the responses that answered it, because people skip questions: a
   group whose 8 answers to an optional question sit beside Everyone's 12 would give away the
   other 4. A group can so be offered and still hide one question's figures.

Comments are listed for a group only when *every* group of its break-down (each value of the
dimension, and "not recorded") has at least the minimum number of comments on that question:
comments can say who wrote them, so they are never what is left over.

This module is pure: it works on positions in a list of responses and knows no database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from tete.surveys.anonymity import DIMENSIONS, NOT_RECORDED

#: The key of the whole round ("Everyone") among a plan's sets.
EVERYONE = ""

#: Why a question's figures are not shown for a set of responses.
FEW = "few"  # fewer answers than the minimum
DIFFERENCE = "difference"  # beside the other figures shown, it would single out fewer
EVERY_GROUP = "every-group"  # comments by group need every group of the break-down at the minimum


@dataclass(frozen=True)
class Group:
    dimension: str
    value: str
    size: int

    @property
    def slug(self) -> str:
        return f"{self.dimension}:{self.value}"


def atoms(sets: Iterable[AbstractSet[int]]) -> list[frozenset[int]]:
    """The non-empty cells of the partition that `sets` make of their union."""
    sets = list(sets)
    cells: dict[tuple[bool, ...], set[int]] = {}
    for member in set().union(*sets):
        cells.setdefault(tuple(member in s for s in sets), set()).add(member)
    return [frozenset(cell) for cell in cells.values()]


def keep_safe(
    candidates: Mapping[str, AbstractSet[int]], k: int, drop_order: Sequence[str]
) -> set[str]:
    """The candidates whose sets may be shown together: every atom is empty or at least k.

    `drop_order` lists every candidate, the first to hide first. A too-small atom is merged
    into a neighbour by hiding the first group (in that order) that separates them; failing
    that, the first group that contains it, or the first group left.
    """
    keys = [key for key in drop_order if key in candidates]
    bit = {key: 1 << i for i, key in enumerate(keys)}
    signature: dict[int, int] = {}
    for key in keys:
        for member in candidates[key]:
            signature[member] = signature.get(member, 0) | bit[key]
    cells = Counter(signature.values())
    kept = list(keys)
    while True:
        small = [(n, sig) for sig, n in cells.items() if 0 < n < k]
        if not small:
            return set(kept)
        _, sig = min(small)
        neighbours = [key for key in kept if cells.get(sig ^ bit[key], 0)]
        inside = [key for key in kept if sig & bit[key]]
        victim = (neighbours or inside or kept)[0]
        kept.remove(victim)
        for member in candidates[victim]:
            before = signature[member]
            cells[before] -= 1
            signature[member] = before & ~bit[victim]
            cells[signature[member]] += 1
        cells = Counter({s: n for s, n in cells.items() if n and s})


def _drop_order(candidates: Mapping[str, AbstractSet[int]]) -> list[str]:
    """Smallest first; on a tie the more identifying dimension first; Everyone last."""

    def rank(key: str) -> tuple[int, int, int, str]:
        if key == EVERYONE:
            return (1, 0, 0, "")
        dimension = key.partition(":")[0]
        return (0, len(candidates[key]), -DIMENSIONS.index(dimension), key)

    return sorted(candidates, key=rank)


def shown_groups(groups: Sequence[Mapping[str, str]], k: int) -> list[Group]:
    """The groups a round offers, given each response's stored attributes (one per response).

    Everyone is shown when len(groups) >= k; it is not in the list.
    """
    members = group_members(groups)
    if len(groups) < k:
        return []
    candidates = {key: ids for key, ids in members.items() if len(ids) >= k}
    kept = keep_safe(candidates, k, _drop_order(candidates))
    return _sorted_groups({key: members[key] for key in kept if key != EVERYONE})


def group_members(groups: Sequence[Mapping[str, str]]) -> dict[str, frozenset[int]]:
    """Each group's responses, by position; Everyone under EVERYONE."""
    members: dict[str, set[int]] = {EVERYONE: set(range(len(groups)))}
    for index, attrs in enumerate(groups):
        for dimension, value in attrs.items():
            if dimension in DIMENSIONS:
                members.setdefault(f"{dimension}:{value}", set()).add(index)
    return {key: frozenset(ids) for key, ids in members.items()}


def _sorted_groups(members: Mapping[str, AbstractSet[int]]) -> list[Group]:
    groups = []
    for key, ids in members.items():
        dimension, _, value = key.partition(":")
        groups.append(Group(dimension, value, len(ids)))
    return sorted(groups, key=lambda g: (DIMENSIONS.index(g.dimension), g.value))


@dataclass(frozen=True)
class Plan:
    """What a round's results may show: its groups, and each question's figures per set."""

    k: int
    groups: list[Group]
    #: Responses (by position) in each offered set; Everyone under EVERYONE.
    members: dict[str, frozenset[int]]
    #: Per question: the sets whose figures for it are shown.
    shown: dict[int, frozenset[str]]
    #: Per (question, set) not shown: FEW, DIFFERENCE or EVERY_GROUP.
    hidden: dict[tuple[int, str], str] = field(default_factory=dict)

    def shows(self, question: int, key: str) -> bool:
        return key in self.shown.get(question, frozenset())

    def why_hidden(self, question: int, key: str) -> str:
        return self.hidden.get((question, key), FEW)


def plan(
    groups: Sequence[Mapping[str, str]],
    answered: Mapping[int, AbstractSet[int]],
    comment_questions: AbstractSet[int],
    k: int,
) -> Plan:
    """Which sets a round offers and, per question, which of them show that question's figures.

    `groups` holds each response's stored attributes, `answered` each question's answering
    responses (by position), `comment_questions` the questions whose figures are comments.
    """
    members = group_members(groups)
    offered = shown_groups(groups, k)
    sets = {EVERYONE: members[EVERYONE]} if len(groups) >= k else {}
    sets.update({g.slug: members[g.slug] for g in offered})
    shown: dict[int, frozenset[str]] = {}
    hidden: dict[tuple[int, str], str] = {}
    for question, ids in answered.items():
        per_set = {key: frozenset(members_ & ids) for key, members_ in sets.items()}
        candidates = {key: s for key, s in per_set.items() if len(s) >= k}
        for key in per_set.keys() - candidates.keys():
            hidden[(question, key)] = FEW
        if question in comment_questions:
            complete = _complete_dimensions(groups, ids, k)
            for key in list(candidates):
                if key != EVERYONE and key.partition(":")[0] not in complete:
                    del candidates[key]
                    hidden[(question, key)] = EVERY_GROUP
        kept = keep_safe(candidates, k, _drop_order(candidates))
        for key in candidates.keys() - kept:
            hidden[(question, key)] = DIFFERENCE
        shown[question] = frozenset(kept)
    return Plan(k, offered, {key: members[key] for key in sets}, shown, hidden)


def _complete_dimensions(
    groups: Sequence[Mapping[str, str]], ids: AbstractSet[int], k: int
) -> set[str]:
    """Dimensions in which every group (and "not recorded") holds at least k of `ids`."""
    complete = set()
    for dimension in DIMENSIONS:
        counts = Counter(groups[i].get(dimension) or NOT_RECORDED for i in ids)
        if all(n >= k for n in counts.values()):
            complete.add(dimension)
    return complete
