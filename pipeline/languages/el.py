"""Greek: no shipped translation; the sentence splitter needs to know its question mark."""

from pipeline.languages.model import Language

LANGUAGE = Language(
    tag="el",
    name="Greek",
    script="Grek",
    # Greek writes its question mark as ";" (U+037E GREEK QUESTION MARK, canonically the semicolon).
    question_semicolon=True,
)
