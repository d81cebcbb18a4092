"""Topics that rise or fall between two rounds of comments."""

from __future__ import annotations

from tete.surveys.textinsights import topic_changes


def test_a_topic_is_listed_once_not_as_each_of_its_words():
    before = ["the release went fine", "release felt calm", "more pay please", "pay is low"]
    after = [
        "tech debt everywhere",
        "tech debt slows us down",
        "we need clear priorities",
        "priorities are not clear",
        "clear goals would help",
        "pay is low",
    ]
    rising, falling = topic_changes(before, after)
    assert [t.phrase for t in rising] == ["clear", "tech debt", "priorities"]
    assert [t.phrase for t in falling] == ["release", "pay", "low"]
    # Each keeps the shares it was found with.
    assert (rising[1].before, rising[1].after) == (0.0, 2 / 6)
    assert (falling[1].before, falling[1].after) == (0.5, 1 / 6)


def test_no_topics_without_comments_in_both_rounds():
    assert topic_changes([], ["tech debt", "tech debt"]) == ([], [])
    assert topic_changes(["a b"], ["c d"]) == ([], [])
