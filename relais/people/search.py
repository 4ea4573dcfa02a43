import re
import unicodedata


def normalise_name(text: str) -> str:
    """Lower case, accent-free, single spaces: "Hélène  D'Aubigné" → "helene d aubigne"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]+", " ", stripped.lower()).strip()
