"""Which language is a customer message written in, and is it one the assistant lacks?

:func:`observe` runs the language identifier that ships inside the py3langid wheel (no
download, no network) over the words of a message, after removing what is not language:
order numbers, emails, links, digits. :func:`foreign_language` decides with the thresholds in
config.yml whether the observation is confident enough: short and ambiguous messages ("ok",
"thanks!!", "NW-12345") have too few words to judge and are never taken as another language,
and neither is a message in which at least a quarter of the words are common English words
(the identifier takes "are you a bot?" for Romanian), so an English-speaking customer is
never sent away.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from assistant.thresholds import Thresholds

ENGLISH = "en"
# The identifier chooses among these: widely written languages. Closely related languages that
# customers hardly write to a shop in (Galician, Breton, ...) are left out, since short Spanish
# or French messages would otherwise often be taken for them.
CANDIDATES = [
    "en",
    "ar",
    "cs",
    "da",
    "de",
    "el",
    "es",
    "fi",
    "fr",
    "he",
    "hi",
    "hu",
    "id",
    "it",
    "ja",
    "ko",
    "nl",
    "no",
    "pl",
    "pt",
    "ro",
    "ru",
    "sv",
    "th",
    "tr",
    "uk",
    "vi",
    "zh",
]
_NOT_LANGUAGE = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|@\w+|#\w+|\bNW-?\s?\d+\b|[\d_]+", re.IGNORECASE
)
# English words that are also common words of other languages count half.
_SHARED_WORDS = frozenset({"a", "no", "me", "per", "so", "do", "in", "on", "is"})
ENGLISH_SHARE = 0.25
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Scripts written without spaces between words (Chinese, Japanese, Thai): each character
# counts as a word, so a sentence is not taken for one word too few to judge.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    # Loading the model that ships in the wheel takes ~100 ms; do it once per process.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    identifier.set_languages(CANDIDATES)
    return identifier


def words(text: str) -> list[str]:
    """The words of a message, without order numbers, emails, links and digits."""
    found = []
    for word in _WORD.findall(_NOT_LANGUAGE.sub(" ", text)):
        found.extend(list(word) if _UNSPACED.search(word) else [word])
    return found


def english_share(found: list[str]) -> float:
    """Share of common English words (spaCy's English stop words) among the words."""
    if not found:
        return 0.0
    lowered = [word.lower() for word in found]
    hits = sum(0.5 if w in _SHARED_WORDS else 1.0 for w in lowered if w in STOP_WORDS)
    return hits / len(lowered)


def observe(text: str | None) -> dict[str, Any]:
    """``{"code", "confidence", "words", "english_share"}``; code None without words."""
    found = words(text or "") if text and not text.startswith("/") else []
    if not found:
        return {"code": None, "confidence": 0.0, "words": 0, "english_share": 0.0}
    code, confidence = _identifier().classify(" ".join(found).lower())
    return {
        "code": str(code),
        "confidence": round(float(confidence), 4),
        "words": len(found),
        "english_share": round(english_share(found), 4),
    }


def foreign_language(observation: Any, thresholds: Thresholds) -> str | None:
    """The ISO 639-1 code when a message is confidently in a language other than English."""
    if not isinstance(observation, dict):
        return None
    code, confidence, count = (observation.get(k) for k in ("code", "confidence", "words"))
    if not isinstance(code, str) or code == ENGLISH or code not in CANDIDATES:
        return None
    if not isinstance(confidence, (int, float)) or not isinstance(count, int):
        return None
    if confidence < thresholds.language_min_confidence or count < thresholds.language_min_words:
        return None
    share = observation.get("english_share")
    if not isinstance(share, (int, float)) or share >= ENGLISH_SHARE:
        return None
    return code
