"""Japanese: no shipped translation; unspaced (measured in characters) and its reading speed."""

from pipeline.languages.model import Language

LANGUAGE = Language(
    tag="ja",
    name="Japanese",
    script="Jpan",
    word_segmentation="characters",
    # IReST (Trauzettel-Klosinski and Dietz, 2012): characters a minute.
    reading_speed=357,
)
