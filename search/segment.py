"""Chinese word segmentation for the embedded search backend (index and query side).

Pure module: no Django. Text is normalised (NFKC per character, so full-width letters and
digits become half-width; casefolded), punctuation, symbols and emoji become separators,
and jieba's search mode cuts the rest, so that the two-character words inside longer
words (借贷 in 民间借贷纠纷) are tokens of their own.
"""

import logging
import re
import threading
import unicodedata

_tokenizer = None
_lock = threading.Lock()

_SEPARATOR_CATEGORIES = ("P", "S", "Z", "C")


def tokenizer():
    """jieba's tokenizer, its dictionary loaded once, on first use, by one thread."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                instance.initialize()
                _tokenizer = instance
    return _tokenizer


def normalize_char(char):
    """One character, normalised to exactly one character (so offsets stay aligned)."""
    folded = unicodedata.normalize("NFKC", char).casefold()
    if len(folded) != 1:
        folded = char.casefold()
        if len(folded) != 1:
            return char
    if unicodedata.category(folded)[0] in _SEPARATOR_CATEGORIES:
        return " "
    return folded


class _Table(dict):
    """str.translate's table, filled on first sight of each character."""

    def __missing__(self, code):
        value = self[code] = normalize_char(chr(code))
        return value


_TABLE = _Table()


def normalize(text):
    """Text of the same length, normalised, with separators as spaces."""
    return text.translate(_TABLE)


_SPACES = re.compile(r"\s+")


def _cut(text, search_mode):
    cut = tokenizer().cut_for_search if search_mode else tokenizer().cut
    for chunk in _SPACES.split(normalize(text)):
        if not chunk:
            continue
        for word in cut(chunk, HMM=False):
            word = word.strip()
            if word:
                yield word


def tokens(text):
    """Search-mode tokens of the text to index (long words and the words inside them)."""
    return list(_cut(text, search_mode=True))


def segment(text):
    """The text to index as space-separated tokens."""
    return " ".join(_cut(text, search_mode=True))


def query_terms(text):
    """[(word, [subwords])] for a query: each precise-mode word, and the search-mode words
    inside it, so that a query word found split differently in a document still matches."""
    terms = []
    seen = set()
    for word in _cut(text, search_mode=False):
        if word in seen:
            continue
        seen.add(word)
        parts = [part for part in _cut(word, search_mode=True) if part != word and len(part) > 1]
        covered = "".join(parts)
        # Subwords stand in for the word only if together they cover its characters.
        if not parts or any(char not in covered for char in word):
            parts = []
        terms.append((word, parts))
    return terms
