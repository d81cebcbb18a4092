"""What comments say, computed on this server: keywords (yake), topics that rise or fall
between rounds (scikit-learn), and sentiment (vaderSentiment). No network, no model download.

Callers pass only comment sets that are already at or above the minimum group size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Topic:
    phrase: str
    before: float  # share of comments mentioning it in the earlier round
    after: float  # share in the later round

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Sentiment:
    positive: int
    neutral: int
    negative: int
    average: float  # mean VADER compound score, -1..1


def keywords(comments: Sequence[str], top: int = 8) -> list[str]:
    """The most characteristic one- and two-word phrases across comments (yake)."""
    text = "\n".join(c.strip() for c in comments if c.strip())
    if not text:
        return []
    import yake

    extractor = yake.KeywordExtractor(lan="en", n=2, top=top * 2, dedupLim=0.7)
    seen: list[str] = []
    for phrase, _score in extractor.extract_keywords(text):
        phrase = phrase.lower()
        if phrase not in seen and not any(phrase in s or s in phrase for s in seen):
            seen.append(phrase)
        if len(seen) == top:
            break
    return seen


def _phrase_shares(vectoriser: Any, comments: Sequence[str]) -> Any:
    matrix = vectoriser.transform(comments)
    # Share of comments that mention each phrase at least once.
    return (matrix > 0).sum(axis=0).A1 / max(1, len(comments))


def topic_changes(
    before: Sequence[str], after: Sequence[str], top: int = 5
) -> tuple[list[Topic], list[Topic]]:
    """(rising, falling) phrases between two rounds' comments, by change in share of comments."""
    before = [c for c in before if c.strip()]
    after = [c for c in after if c.strip()]
    if not before or not after:
        return [], []
    from sklearn.feature_extraction.text import CountVectorizer

    vectoriser = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2)
    try:
        vectoriser.fit([*before, *after])
    except ValueError:  # no phrase appears twice
        return [], []
    names = vectoriser.get_feature_names_out()
    shares_before = _phrase_shares(vectoriser, before)
    shares_after = _phrase_shares(vectoriser, after)
    topics = [
        Topic(str(name), float(b), float(a))
        for name, b, a in zip(names, shares_before, shares_after, strict=True)
        if a != b
    ]
    # Largest change first; on a tie the phrase of more words ("tech debt" before "tech").
    rising = sorted(
        (t for t in topics if t.change > 0),
        key=lambda t: (-t.change, -t.phrase.count(" "), t.phrase),
    )
    falling = sorted(
        (t for t in topics if t.change < 0),
        key=lambda t: (t.change, -t.phrase.count(" "), t.phrase),
    )
    return _distinct(rising, top), _distinct(falling, top)


def _distinct(topics: list[Topic], top: int) -> list[Topic]:
    """The first ``top`` topics, leaving out a phrase whose words are all in one kept before
    it, or that holds all the words of one ("tech" after "tech debt", "clear priorities"
    after "clear"): the same topic said twice."""
    kept: list[Topic] = []
    kept_words: list[set[str]] = []
    for topic in topics:
        words = set(topic.phrase.split())
        if any(words <= other or other <= words for other in kept_words):
            continue
        kept.append(topic)
        kept_words.append(words)
        if len(kept) == top:
            break
    return kept


@lru_cache(maxsize=1)
def _analyser() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(comments: Sequence[str]) -> Sentiment | None:
    """Counts of positive / neutral / negative comments (VADER compound ±0.05) and the mean."""
    scores = [_analyser().polarity_scores(c)["compound"] for c in comments if c.strip()]
    if not scores:
        return None
    return Sentiment(
        positive=sum(1 for s in scores if s >= 0.05),
        neutral=sum(1 for s in scores if -0.05 < s < 0.05),
        negative=sum(1 for s in scores if s <= -0.05),
        average=round(sum(scores) / len(scores), 2),
    )
