"""Pure rules of the search's words: everyday phrases, relaxed words. No ORM, no I/O.

A parent types what is happening ("he checks my phone", "I can't afford a lawyer"); the
curators' phrase table (directory.models.SearchPhrase) says what the directory calls it. These
functions find the table's phrases in what was typed and say which words are left, so the
selectors can build the strict and the relaxed full-text queries from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words that say nothing about the help wanted. PostgreSQL's English stop words ("I", "my",
# "the") are dropped by the full-text search itself; these are the everyday ones it keeps,
# which in a relaxed (any-word) match would bring in most of the directory.
GENERIC_WORDS = frozenset(
    {
        "help",
        "helping",
        "need",
        "needs",
        "want",
        "wants",
        "get",
        "getting",
        "find",
        "looking",
        "look",
        "someone",
        "something",
        "anyone",
        "please",
        "can",
        "could",
        "would",
        "should",
        "can't",
        "cant",
        "don't",
        "dont",
        "won't",
        "wont",
        "doesn't",
        "didn't",
        "isn't",
        "i'm",
        "im",
        "i've",
        "he's",
        "she's",
        "they're",
        "service",
        "services",
        "support",
        "near",
        "local",
        "area",
        "know",
        "going",
        "go",
        "make",
        "let",
        "tell",
        "like",
        "really",
        "just",
        "now",
        "also",
        "us",
        "or",
        "and",
        "not",
    }
)
# What a search may hold at most, so a pasted essay cannot build a huge query.
MAX_TOKENS = 40
_WORD = re.compile(r"[\w']+")


def tokens(text: str) -> list[str]:
    """Lower-case words of a text, apostrophes kept inside ("can't"), at most MAX_TOKENS."""
    found = _WORD.findall(text.lower().replace("\u2019", "'"))
    return [t for t in (w.strip("'") for w in found) if t][:MAX_TOKENS]


def _same_word(typed: str, listed: str) -> bool:
    # A final "s" does not matter: "kids" is "kid", "checks" is "check".
    return typed == listed or typed == f"{listed}s" or listed == f"{typed}s"


@dataclass(frozen=True)
class Phrase:
    """One row of the phrase table, as the rules need it."""

    phrase: str
    terms: tuple[str, ...] = ()
    category_ids: tuple[int, ...] = ()
    suggests_danger: bool = False

    @staticmethod
    def split_terms(raw: str) -> tuple[str, ...]:
        return tuple(t for t in (" ".join(part.split()) for part in raw.split(",")) if t)


@dataclass(frozen=True)
class WordsPlan:
    """What a search's words mean: the phrases found, and the words left over."""

    phrases: tuple[Phrase, ...]
    leftover: tuple[str, ...]

    @property
    def suggests_danger(self) -> bool:
        return any(p.suggests_danger for p in self.phrases)

    @property
    def category_ids(self) -> tuple[int, ...]:
        return tuple(sorted({i for p in self.phrases for i in p.category_ids}))

    def relaxed_words(self) -> list[str]:
        """Every meaningful word and directory term, for an any-word match (most first)."""
        words = [w for w in self.leftover if w not in GENERIC_WORDS and not w.isdigit()]
        for phrase in self.phrases:
            words.append(phrase.phrase)
            words.extend(phrase.terms)
        seen: set[str] = set()
        unique = []
        for word in words:
            if word.lower() not in seen:
                seen.add(word.lower())
                unique.append(word)
        return unique


def plan_words(text: str, table: Iterable[Phrase]) -> WordsPlan:
    """Find the table's phrases in `text`, longest first, each word used by one phrase at most.

    "broke up" wins over "broke"; "he checks my phone" finds "checks my phone"; a phrase
    found twice counts once. The words no phrase used are the leftover, in their order.
    """
    typed = tokens(text)
    used = [False] * len(typed)
    found: list[Phrase] = []
    candidates = sorted(
        ((tokens(p.phrase), p) for p in table), key=lambda item: (-len(item[0]), item[1].phrase)
    )
    for words, phrase in candidates:
        if not words or len(words) > len(typed):
            continue
        for start in range(len(typed) - len(words) + 1):
            span = range(start, start + len(words))
            if any(used[i] for i in span):
                continue
            if all(_same_word(typed[i], words[i - start]) for i in span):
                for i in span:
                    used[i] = True
                if phrase not in found:
                    found.append(phrase)
    leftover = tuple(word for word, was_used in zip(typed, used, strict=True) if not was_used)
    return WordsPlan(phrases=tuple(found), leftover=leftover)


def websearch_any(words: Iterable[str]) -> str:
    """`websearch_to_tsquery` text matching any of the words; a term of several words stays a
    phrase. Quotes and dashes are taken out of each term first."""
    parts = []
    for word in words:
        clean = " ".join(re.sub(r"[^\w']+", " ", word).split())
        if clean and clean.lower() not in {"or", "and"}:
            parts.append(f'"{clean}"' if " " in clean else clean)
    return " or ".join(parts)
