"""Writes of family tracing, by subject: ``requests`` (tracing requests and the reviewers'
decisions on them), ``duplicates`` (possible duplicates, merge and unmerge) and ``match_model``
(versions of the node's match model re-fitted on the decisions). The public names are
re-exported here, so callers import ``corridor.tracing.services``."""

from corridor.tracing.services.duplicates import (
    DUPLICATE_THRESHOLD,
    duplicate_decide,
    duplicates_find,
    duplicates_for,
    person_merge,
    person_unmerge,
)
from corridor.tracing.services.match_model import (
    MIN_DECISIONS,
    match_model_activate,
    match_model_retrain,
)
from corridor.tracing.services.requests import (
    MAX_CHILD_AGE,
    REQUEST_FIELDS,
    tracing_decide,
    tracing_request_close,
    tracing_request_create,
)

__all__ = [
    "DUPLICATE_THRESHOLD",
    "MAX_CHILD_AGE",
    "MIN_DECISIONS",
    "REQUEST_FIELDS",
    "duplicate_decide",
    "duplicates_find",
    "duplicates_for",
    "match_model_activate",
    "match_model_retrain",
    "person_merge",
    "person_unmerge",
    "tracing_decide",
    "tracing_request_close",
    "tracing_request_create",
]
