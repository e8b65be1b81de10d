"""Matching engine: family tracing, duplicate detection and person search share it.

Pure Python (numpy, rapidfuzz, PyYAML); nothing here imports Django, so the command line, the
benchmarks and the web app call the same code. See docs/matching.md.
"""

from corridor.matching.engine import DEFAULT_THRESHOLD, Link, link, score_pair
from corridor.matching.explain import Reason, explain
from corridor.matching.model import Model, default_model
from corridor.matching.normalise import name_keys, normalise_name, phonetic_key, variant_family
from corridor.matching.places import Place, resolve_place
from corridor.matching.records import InputError, read_records
from corridor.matching.training import train, train_on_pairs

__all__ = [
    "DEFAULT_THRESHOLD",
    "InputError",
    "Link",
    "Model",
    "Place",
    "Reason",
    "default_model",
    "explain",
    "link",
    "name_keys",
    "normalise_name",
    "phonetic_key",
    "read_records",
    "resolve_place",
    "score_pair",
    "train",
    "train_on_pairs",
    "variant_family",
]
