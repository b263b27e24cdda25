"""Names derived from a model name; template/_lib/names.jinja applies the same rules in Jinja."""

from __future__ import annotations

import re

# Split before an uppercase letter that follows a lowercase letter or digit, and inside an acronym
# before its last letter when a lowercase letter follows ("HTTPLog" -> "http_log").
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake_case(name: str) -> str:
    """`OrderItem` -> `order_item`: module, table and variable name of a model."""
    return _WORD_BOUNDARY.sub("_", name).lower()


def plural(word: str) -> str:
    """English plural of a snake_case word, for collection paths: `category` -> `categories`."""
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"
