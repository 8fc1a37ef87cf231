"""Word-by-word comparison of two texts, as the portal shows it: the words removed
struck through, the words added marked (articles of association, fund applications)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Words, runs of spaces, and each CJK character on its own: Chinese has no spaces, so a
# change inside a sentence shows as the characters changed, not the whole article.
TOKENS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]", re.UNICODE)

# Above this many tokens in the two texts together, tokens that fill more than 1% of the
# new text (repeated punctuation, a common character) are not matched on their own:
# matching every one of them costs time that grows with the square of the length.
LONG_DIFF_TOKENS = 2_000


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` turned into ``new`` as runs of text kept, removed and added."""
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    segments: list[Segment] = []
    long = len(before) + len(after) > LONG_DIFF_TOKENS
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=long)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", "".join(before[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", "".join(after[b1:b2])))
    return segments
