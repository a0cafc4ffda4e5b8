"""The codes maillage reads and writes, as DataFrames.

The data·inclusion v1 vocabularies compiled into the library (themes with
their French labels, publics, modes, fees, service types, ...) and
maillage's own codes (unmatched reasons, eligibility filters)::

    >>> from maillage import vocabulary
    >>> vocabulary.categories().head(3)
    >>> vocabulary.suggest("logement-hebergment")
    'logement-hebergement'

Every function returns a new DataFrame with text columns (``string``
dtype); ``code`` is the value to write in the native format's cells.
"""

from __future__ import annotations

from typing import Optional

import pandas as pd

from . import _core

__all__ = [
    "categories",
    "filters",
    "frais",
    "mobilisable_par",
    "modes",
    "modes_mobilisation",
    "publics",
    "reasons",
    "reseaux_porteurs",
    "suggest",
    "themes",
    "types",
]

_vocabulary = _core.vocabulary()

_REASONS = {
    "no_service_for_theme":
        "no service of the territory (within the explanation radius, or "
        "usable remotely there) serves the theme",
    "not_eligible":
        "services serve the theme but none is eligible: `filter` names the "
        "filter that excluded the most of them",
    "out_of_reach":
        "eligible services exist but none is within the person's reach: "
        "the suggested service is the nearest one",
    "capacity_full":
        "eligible services in reach are all full, or their places went to "
        "needs that rank higher: the suggested service is the best of them, "
        "for a waiting list",
}

_FILTERS = {
    "theme": "the service does not offer the theme",
    "frais": "the service's fees are not among those accepted",
    "type": "the service's type is not among those accepted",
    "public": "the service is reserved to publics the person is not in",
    "zone": "the person's commune is outside the service's zone",
    "age": "the person's age is outside the service's age range",
    "reach": "the service is beyond the person's reach (distance or time)",
    "refused": "the person refused this service before",
}


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for c in columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].astype("string")
    return frame


def themes() -> pd.DataFrame:
    """Every data·inclusion theme: the 16 categories, then the subthemes
    (``category--subtheme``), with columns ``code``, ``label`` (French),
    ``category``, ``category_label`` (French), ``category_label_en`` and
    ``is_category``."""
    rows = _vocabulary["themes"]
    labels = {code: label for code, label, _c, _en, is_cat in rows if is_cat}
    return _frame([(code, label, cat, labels.get(cat, cat), en, bool(is_cat))
                   for code, label, cat, en, is_cat in rows],
                  ["code", "label", "category", "category_label",
                   "category_label_en", "is_category"])


def categories() -> pd.DataFrame:
    """The 16 theme categories: ``code``, ``label`` (French, as in the
    report), ``label_en``."""
    return _frame([(code, label, en)
                   for code, label, _c, en, is_cat in _vocabulary["themes"]
                   if is_cat], ["code", "label", "label_en"])


def _pairs(name: str) -> pd.DataFrame:
    return _frame(list(_vocabulary[name]), ["code", "label"])


def publics() -> pd.DataFrame:
    """The publics of data·inclusion (``femmes``, ``jeunes``, ...):
    ``code``, ``label`` (French). A person's ``publics`` cell and a
    service's are lists of these codes."""
    return _pairs("publics")


def modes() -> pd.DataFrame:
    """The modes of reception (``a-distance``, ``en-presentiel``):
    ``code``, ``label``."""
    return _pairs("modes")


def frais() -> pd.DataFrame:
    """The fee codes of a service (``gratuit``, ...): ``code``, ``label``."""
    return _pairs("frais")


def types() -> pd.DataFrame:
    """The service types (``accompagnement``, ...): ``code``, ``label``."""
    return _pairs("types")


def modes_mobilisation() -> pd.DataFrame:
    """How a service is mobilised (``envoyer-un-courriel``, ...): ``code``,
    ``label``."""
    return _pairs("modes_mobilisation")


def mobilisable_par() -> pd.DataFrame:
    """Who can mobilise a service (``professionnels``, ...): ``code``,
    ``label``."""
    return _pairs("mobilisable_par")


def reseaux_porteurs() -> pd.DataFrame:
    """The networks a partner may belong to (the partners table's
    ``reseaux_porteurs`` column): ``code``, ``label``."""
    return _pairs("reseaux_porteurs")


def reasons() -> pd.DataFrame:
    """Why a need is unmatched (the ``reason`` column of
    ``plan.unmatched`` and ``plan.needs``): ``code``, ``meaning``
    (English)."""
    return _frame([(code, _REASONS.get(code, "")) for code in
                   _core.unmatched_reasons()], ["code", "meaning"])


def filters() -> pd.DataFrame:
    """The eligibility filters, in the order they are checked (the
    ``filter`` column of unmatched needs and the ``excluded_*`` counts):
    ``code``, ``meaning`` (English)."""
    return _frame([(code, _FILTERS.get(code, ""))
                   for code in _vocabulary["filters"]], ["code", "meaning"])


# The vocabularies suggest looks in, by kind.
_KINDS = {
    "themes": themes,
    "categories": categories,
    "publics": publics,
    "modes": modes,
    "frais": frais,
    "types": types,
    "modes_mobilisation": modes_mobilisation,
    "mobilisable_par": mobilisable_par,
    "reseaux_porteurs": reseaux_porteurs,
}


def suggest(code: str, kind: str = "themes") -> Optional[str]:
    """The valid code closest to ``code`` (a misspelt one), or None when
    none is close; ``code`` itself when it is valid.

    Parameters
    ----------
    code:
        The code to look up.
    kind:
        The vocabulary: ``themes`` (the default), ``categories``,
        ``publics``, ``modes``, ``frais``, ``types``,
        ``modes_mobilisation``, ``mobilisable_par`` or
        ``reseaux_porteurs``.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {', '.join(_KINDS)}, "
                         f"got {kind!r}")
    codes = list(_KINDS[kind]()["code"])
    text = str(code).strip().lower()
    if text in codes:
        return text
    # The loader's own rule, so that this says what its messages say.
    close = _core.closest_code(text, codes)
    return close or None
