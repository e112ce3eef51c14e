"""Russian: no shipped translation; only its reading speed (for the reading time printed on the guide)."""

from pipeline.languages.model import Language

LANGUAGE = Language(
    tag="ru",
    name="Russian",
    script="Cyrl",
    # IReST (Trauzettel-Klosinski and Dietz, 2012): words a minute.
    reading_speed=184,
)
