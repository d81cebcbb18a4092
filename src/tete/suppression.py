"""Complementary suppression over sets: which figures may be shown together.

Survey results (`surveys/suppression.py`) and the leaders' view (`leaders/plan.py`) both
publish figures, each an aggregate over a set of things (responses; a pair's month of
one-on-ones). Whoever reads them can combine them: a team's figure minus its sub-team's is
the rest's; two overlapping groups give their intersection. Every set that can be derived
from the shown sets by unions, differences and intersections is a union of their **atoms**:
the elements that belong to exactly the same shown sets. So the rule is:

    every atom of the sets whose figures are shown is empty or holds at least the minimum.

While an atom is too small, the set whose hiding merges it into another atom is hidden
(failing that, one that tells it apart from another atom), in the caller's order: "hide the
next-smallest group too". A set that holds every atom is never hidden for another's sake.

How an atom is measured is the caller's: survey responses count one each; the leaders' view
counts the distinct people behind a pair-month's elements, so a quarter's three months of one
pair never pass for three.

Pure: positions in a list, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet

from django.conf import settings

#: Measures a set of elements, given as a bit mask (bit i: the element at position i).
Measure = Callable[[int], int]


def min_group_size() -> int:
    """The minimum group size: the setting, never below 3."""
    return max(3, int(getattr(settings, "TETE_MIN_GROUP_SIZE", 5)))


def atoms(sets: Iterable[AbstractSet[int]]) -> list[frozenset[int]]:
    """The non-empty cells of the partition that `sets` make of their union."""
    return [ids_of(cell) for cell in cells_of([mask_of(s) for s in sets]).values()]


def keep_safe(
    candidates: Mapping[str, AbstractSet[int]],
    k: int,
    drop_order: Sequence[str],
    measure: Measure = int.bit_count,
) -> set[str]:
    """The candidates whose sets may be shown together: every atom is empty or at least k.

    `drop_order` lists every candidate, the first to hide first. A too-small atom is merged
    into another by hiding the first set (in that order) that alone separates them; failing
    that, the first set that tells it apart from any other atom. A set that holds every
    atom (Everyone) is so hidden only when it is itself the one too-small atom.
    """
    masks = {key: mask_of(ids) for key, ids in candidates.items()}
    return keep_safe_masks(masks, k, drop_order, measure)


# Sets are bit masks here (bit i: the element at position i): intersections and partitions
# of thousands of elements then cost a few machine words each, not a dictionary operation
# per element.


def mask_of(ids: Iterable[int]) -> int:
    mask = 0
    for i in ids:
        mask |= 1 << i
    return mask


def ids_of(mask: int) -> frozenset[int]:
    return frozenset(i for i, bit in enumerate(reversed(bin(mask)[2:])) if bit == "1")


def cells_of(masks: Sequence[int]) -> dict[int, int]:
    """The non-empty atoms of `masks`, keyed by which masks (bit j: masks[j]) hold them."""
    union = 0
    for mask in masks:
        union |= mask
    cells = {0: union} if union else {}
    for j, mask in enumerate(masks):
        refined = {}
        for signature, cell in cells.items():
            if inside := cell & mask:
                refined[signature | 1 << j] = inside
            if outside := cell & ~mask:
                refined[signature] = outside
        cells = refined
    return cells


def keep_safe_masks(
    masks: Mapping[str, int],
    k: int,
    drop_order: Sequence[str],
    measure: Measure = int.bit_count,
) -> set[str]:
    """`keep_safe` for sets given as bit masks."""
    keys = [key for key in drop_order if key in masks]
    bits = {key: 1 << j for j, key in enumerate(keys)}
    cells = cells_of([masks[key] for key in keys])
    kept = list(keys)
    while True:
        small = [(measure(cell), sig) for sig, cell in cells.items() if measure(cell) < k]
        if not small:
            return set(kept)
        if len(cells) == 1:
            return set()  # every set left is that one atom
        _, sig = min(small)
        # A set whose hiding merges the atom into another; failing that, any set that tells
        # it apart from another atom (Everyone, holding every atom, never does).
        victims = [key for key in kept if sig ^ bits[key] in cells]
        if not victims:
            differs = 0
            for other in cells:
                differs |= sig ^ other
            victims = [key for key in kept if differs & bits[key]]
        victim = victims[0]
        kept.remove(victim)
        # Hiding a set merges the atoms it separated.
        merged: dict[int, int] = {}
        for signature, cell in cells.items():
            if rest := signature & ~bits[victim]:
                merged[rest] = merged.get(rest, 0) | cell
        cells = merged
