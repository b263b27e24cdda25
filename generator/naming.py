"""Names derived from other names: a model's module and table (`snake_case`), its collection path
(`plural`), the model of an existing table (`singular`, `--from-database`), and whether a model name
is singular (`plural_of_singular`).

English plurals come from a small table here rather than from the `inflect` package: inflect costs
the CLI seconds of start-up (it is instrumented by typeguard at import) and its `singular_noun` is
wrong on many ordinary nouns (`bus` -> `bu`, `alias` -> `alia`, `campus` -> `campu`), so it cannot
tell `Books` from `Status`. The table covers the irregular nouns a model is likely to be named after,
the nouns that end in `s` in the singular, and the regular rules; tests/test_naming.py checks that
`singular(plural(w)) == w` for every entry and for the rules.
"""

from __future__ import annotations

import re

# Split before an uppercase letter that follows a lowercase letter or digit, and inside an acronym
# before its last letter when a lowercase letter follows ("HTTPLog" -> "http_log").
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# Irregular plurals, singular -> plural.
IRREGULAR: dict[str, str] = {
    "person": "people",
    "child": "children",
    "man": "men",
    "woman": "women",
    "mouse": "mice",
    "goose": "geese",
    "tooth": "teeth",
    "foot": "feet",
    "ox": "oxen",
    "louse": "lice",
    "die": "dice",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "curriculum": "curricula",
    "memorandum": "memoranda",
    "index": "indices",
    "matrix": "matrices",
    "vertex": "vertices",
    "appendix": "appendices",
    "cactus": "cacti",
    "fungus": "fungi",
    "nucleus": "nuclei",
    "radius": "radii",
    "stimulus": "stimuli",
    "syllabus": "syllabi",
    "alumnus": "alumni",
    "genus": "genera",
    "corpus": "corpora",
    "leaf": "leaves",
    "loaf": "loaves",
    "thief": "thieves",
    "shelf": "shelves",
    "half": "halves",
    "calf": "calves",
    "wolf": "wolves",
    "self": "selves",
    "elf": "elves",
    "knife": "knives",
    "wife": "wives",
    "life": "lives",
    "hero": "heroes",
    "potato": "potatoes",
    "tomato": "tomatoes",
    "echo": "echoes",
    "veto": "vetoes",
    "quiz": "quizzes",
}
# Nouns whose plural is the same word; each is taken as singular too.
UNCOUNTABLE = frozenset(
    {
        "sheep",
        "fish",
        "deer",
        "moose",
        "series",
        "species",
        "news",
        "aircraft",
        "equipment",
        "information",
        "software",
        "hardware",
        "feedback",
        "metadata",
        "data",
        "media",
        "staff",
        "traffic",
        "luggage",
        "baggage",
        "furniture",
        "money",
        "music",
        "rice",
        "police",
        "headquarters",
        "offspring",
        "analytics",
        "physics",
        "mathematics",
        "economics",
        "ethics",
        "logistics",
        "statistics",
        "athletics",
        "politics",
    }
)
# Singular nouns that end in `s` but not in -ss, -us or -is (which the rules keep as they are).
SINGULAR_S = frozenset(
    {
        "alias",
        "atlas",
        "bias",
        "canvas",
        "gas",
        "lens",
        "chaos",
        "cosmos",
        "ethos",
        "pathos",
        "thermos",
        "bus",
        "plus",
        "minus",
        # acronyms
        "gps",
        "dns",
        "sms",
        "cms",
        "os",
        "ios",
        "aws",
    }
)
# Singular nouns that end in -ie, whose plural would otherwise read as the plural of a -y word.
IE_NOUNS = frozenset(
    {
        "movie",
        "cookie",
        "tie",
        "pie",
        "lie",
        "calorie",
        "zombie",
        "rookie",
        "selfie",
        "smoothie",
        "genie",
        "brownie",
        "prairie",
    }
)
# Nouns in -us whose plural is -uses (a plural in -uses is otherwise taken for one in -use: houses).
US_NOUNS = frozenset(
    {
        "status",
        "campus",
        "virus",
        "bonus",
        "census",
        "bus",
        "focus",
        "genius",
        "prospectus",
        "surplus",
        "apparatus",
        "consensus",
        "nexus",
        "chorus",
        "circus",
        "thesaurus",
        "octopus",
        "walrus",
        "abacus",
        "lotus",
        "onus",
        "opus",
        "plus",
        "minus",
        "sinus",
        "hippopotamus",
    }
)
# Nouns in -is whose plural is -es: `analyses` is their plural, where `codes` is the plural of `code`.
IS_NOUNS = frozenset(
    {
        "analysis",
        "crisis",
        "diagnosis",
        "ellipsis",
        "emphasis",
        "hypothesis",
        "oasis",
        "parenthesis",
        "prognosis",
        "synopsis",
        "synthesis",
        "thesis",
    }
)
_IRREGULAR_SINGULAR = {plural: singular for singular, plural in IRREGULAR.items()}


def snake_case(name: str) -> str:
    """`OrderItem` -> `order_item`: module, table and variable name of a model."""
    return _WORD_BOUNDARY.sub("_", name).lower()


def plural(word: str) -> str:
    """English plural of a snake_case word (its last word), for collection paths: `category` ->
    `categories`, `person` -> `people`, `order_item` -> `order_items`."""
    head, last = _split_last(word)
    return head + _plural_word(last)


def singular(word: str) -> str:
    """English singular of a snake_case word (its last word): `categories` -> `category`, `people` ->
    `person`, `book_tags` -> `book_tag`. A word that does not look plural (`status`, `address`,
    `analysis`, `news`) is kept as it is."""
    head, last = _split_last(word)
    return head + _singular_word(last)


def plural_of_singular(word: str) -> str | None:
    """The singular that `word` (snake_case) is the plural of, or None when it is singular already:
    `books` -> `book`, `people` -> `person`, `status` -> None, `news` -> None."""
    one = singular(word)
    return one if one != word and plural(one) == word else None


def singular_model_name(name: str) -> str | None:
    """For a PascalCase model name that is a plural (`Books`, `OrderItems`, `People`), the singular
    name to use instead (`Book`, `OrderItem`, `Person`); None when it is singular already."""
    words = _WORD_BOUNDARY.split(name)
    one = plural_of_singular(words[-1].lower())
    if one is None:
        return None
    last = words[-1]
    return "".join(words[:-1]) + (one.upper() if last.isupper() and len(last) > 1 else one.capitalize())


def _split_last(word: str) -> tuple[str, str]:
    head, sep, last = word.rpartition("_")
    return head + sep, last


def _plural_word(word: str) -> str:
    if not word or word in UNCOUNTABLE:
        return word
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word in _IRREGULAR_SINGULAR:  # a plural already (`people`): the path is the word itself
        return word
    if word in SINGULAR_S:
        return word + "es"
    if re.search(r"(ss|us|x|z|ch|sh)$", word):
        return word + "es"
    if word.endswith("is"):  # analysis -> analyses, thesis -> theses
        return word[:-2] + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _singular_word(word: str) -> str:
    if not word or word in UNCOUNTABLE or word in SINGULAR_S or word in IRREGULAR:
        return word
    if word in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[word]
    for candidate in _singular_candidates(word):
        if _plural_word(candidate) == word:
            return candidate
    return word


def _singular_candidates(word: str) -> list[str]:
    """The singulars whose regular plural `word` could be, most specific first."""
    candidates = []
    if word[:-1] in IE_NOUNS:
        candidates.append(word[:-1])
    if word.endswith("ies") and len(word) > 3:
        candidates.append(word[:-3] + "y")
    if word.endswith("ses") or word.endswith("zzes"):
        candidates.append(word[:-3])  # buses -> bus, gases -> gas, quizzes -> quiz (irregular)
    if word.endswith("es"):
        stem = word[:-2]
        # boxes -> box, statuses -> status; but houses -> house: -uses is -use but for US_NOUNS.
        if not stem.endswith("us") or stem in US_NOUNS:
            candidates.append(stem)
        if stem + "is" in IS_NOUNS:
            candidates.append(word[:-2] + "is")  # analyses -> analysis (but codes -> code)
    if word.endswith("s") and not re.search(r"(ss|us|is)$", word):
        candidates.append(word[:-1])
    return candidates
