"""Small text helpers for error contexts."""

from __future__ import annotations

_BOUNDARIES = ".!?\n"


def sentence_around(text: str, start: int, end: int, limit: int = 240) -> str:
    """The sentence (roughly: between . ! ? or newlines) holding [start, end)."""
    if not text or start < 0 or end > len(text):
        return ""
    left = max(text.rfind(b, 0, start) for b in _BOUNDARIES) + 1
    rights = [i for i in (text.find(b, end) for b in _BOUNDARIES) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    sentence = " ".join(text[left:right].split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
