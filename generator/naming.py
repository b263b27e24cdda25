"""Names derived from other names: a model's module and table (`snake_case`), its collection path
(`plural`), and the model of an existing table (`singular`, `--from-database`)."""

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


def singular(word: str) -> str:
    """English singular of a lowercase word, for model names of tables: `categories` -> `category`.

    A word that does not look plural (`status`, `address`, `analysis`) is kept as it is.
    """
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if re.search(r"(ss|us|x|z|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not re.search(r"(ss|us|is)$", word):
        return word[:-1]
    return word
