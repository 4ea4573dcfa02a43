import re
import unicodedata


def normalise_name(text: str) -> str:
    """Lower case, accent-free, single spaces: "Hélène  D'Aubigné" → "helene d aubigne".

    Letters of other scripts are kept as they are ("李", "Łukasz" → "lukasz" only for the
    accent), so a name never normalises to nothing.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    stripped = stripped.replace("Œ", "oe").replace("Æ", "ae").replace("ł", "l").replace("Ł", "l")
    return re.sub(r"[\W_]+", " ", stripped.lower()).strip()
