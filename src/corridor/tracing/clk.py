"""Cryptographic long-term keys (CLKs) for the look-up across the border; no Django here.

A node asks its peer "do you hold a child like this one?" without sending a name, a date or a
place. Each record becomes one 1024-bit Bloom filter (Schnell, Bachteler and Reiher 2009,
"Privacy-preserving record linkage using Bloom filters"; the CLK of clkhash/anonlink) cut into one
segment per field (names, birth years, sex, place, mother, father): every token (phonetic bigrams
and the variant family of each name, overlapping windows of plausible birth years, sex,
prefecture) sets ``k`` bits chosen by double hashing with HMAC-SHA256 under a key derived (HKDF,
RFC 5869) from a secret only the two nodes share. Nothing is sent in clear, not even the birth
year. The peer, which holds the same key, encodes its own children the same way, measures the
Dice similarity of each field and answers with candidate ids and a match probability (a logistic
model over the fields' Dice, fitted on synthetic data) only.

clkhash 0.18.3 pins ``cryptography<41`` and has had no release since 2023, so the documented
scheme is implemented here on the standard library (``hmac``/``hashlib``) and numpy.

What the encoding protects and what it does not: without the key the bits cannot be recomputed
from a guessed name (no dictionary attack on HMAC), but Bloom filters of a large population leak
bigram frequencies to a determined cryptanalyst holding many of them; that is why only encodings
of open tracing requests are sent, to one peer, over the federation's encrypted channel, and why
the answer carries no more than ids and scores.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from corridor.matching.normalise import orient_name, phonetic_key, split_mother_name, token_key
from corridor.matching.places import resolve_place
from corridor.matching.records import birth_range

__all__ = [
    "BITS",
    "ENCODING_VERSION",
    "SEGMENTS",
    "WEIGHTS",
    "Candidate",
    "pair_key",
    "tokens",
    "encode",
    "to_text",
    "from_text",
    "dice",
    "field_dice",
    "probability",
    "best_candidates",
    "fit_weights",
    "assign",
]

BITS = 1024
ENCODING_VERSION = "clk-fields-hmac-sha256-v1"
"""Changes whenever fields, tokens or hashing change; a peer refuses encodings of another version."""

# The filter is cut into one segment per field (field-level CLKs laid end to end, each on whole
# 64-bit words), so each field's similarity is measured and weighed on its own.
SEGMENTS: tuple[tuple[str, int, int], ...] = (
    ("name", 0, 512),
    ("birth", 512, 64),
    ("sex", 576, 64),
    ("place", 640, 64),
    ("mother", 704, 192),
    ("father", 896, 128),
)
_SEGMENT = {name: (start, size) for name, start, size in SEGMENTS}
_WORDS = [(name, start // 64, (start + size) // 64) for name, start, size in SEGMENTS]
# Bits set per token, by (segment, kind of token): the evidence a token carries, kept low enough
# that a segment stays about a third full (a fuller filter makes every pair look alike).
_K = {
    ("name", "bigram"): 6,
    ("name", "variant"): 16,
    ("birth", "year"): 4,
    ("sex", "sex"): 6,
    ("place", "prefecture"): 6,
    ("place", "country"): 3,
    ("mother", "bigram"): 4,
    ("mother", "variant"): 10,
    ("father", "bigram"): 3,
    ("father", "variant"): 8,
}

WEIGHTS: dict = {
    "intercept": -30.7864,
    "name": [4.625, 6.0183, 0.0],
    "birth": [9.0044, -1.9573, 0.0],
    "sex": [1.0593, 1.5334, 1.7852],
    "place": [2.329, 6.2553, 6.4386],
    "mother": [5.8601, 3.7898, 4.193],
    "father": [5.5559, 3.5826, 3.0582],
}
"""Per field: weights of Dice, Dice squared and "missing", fitted by ``fit_weights`` on synthetic
corridor data at four noise levels (``bench/tracing_privacy_bench.py`` fits and prints them)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    query_id: str
    target_id: str
    score: float


def pair_key(*, secret: str | bytes, nodes: Sequence[str]) -> bytes:
    """The 32-byte linkage key of one pair of nodes (HKDF-SHA256 of their shared secret).

    The node names are sorted into the ``info`` so both sides derive the same key, and a secret
    shared with one peer is useless with another.
    """
    material = secret.encode() if isinstance(secret, str) else secret
    info = ("corridor-tracing|" + "|".join(sorted(nodes)) + "|" + ENCODING_VERSION).encode()
    prk = hmac.new(b"corridor-clk-salt", material, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def _bigrams(text: str) -> list[str]:
    padded = f"_{text}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def _name_tokens(segment: str, names: list[str]) -> list[tuple[str, str, str]]:
    out = []
    for token in dict.fromkeys(names):
        out += [(segment, "bigram", gram) for gram in _bigrams(phonetic_key(token))]
        out.append((segment, "variant", token_key(token)))
    return out


def tokens(*, record: dict, side: str) -> list[tuple[str, str, str]]:
    """The (segment, kind, token) triples of a record in the corridor CSV format, before hashing.

    Given and family names share one segment so that a surname-first entry encodes the same.
    Birth years are written with overlapping three-year windows, so that one or two years apart
    still share bits; an age guessed from looks is widened by a year, its error being in years.
    """
    given, family = orient_name(
        given_names=record.get("given_names") or "", family_name=record.get("family_name") or ""
    )
    out = _name_tokens("name", [*given, *family])
    birth = birth_range(record=record, side=side)
    if birth is not None:
        widen = 1 if birth.kind == "age" else 0
        years = range(math.floor(birth.low) - widen, math.floor(birth.high) + widen + 1)
        grams = {f"y{year}" for year in years}
        for year in years:
            grams |= {f"w{shift}:{(year + shift) // 3}" for shift in range(3)}
        out += [("birth", "year", gram) for gram in sorted(grams)]
    sex = (record.get("sex") or "").strip().upper()
    if sex in ("M", "F"):
        out.append(("sex", "sex", sex))
    place = resolve_place(record.get("place_of_origin")) or resolve_place(
        record.get("origin_prefecture")
    )
    if place is not None:
        out.append(("place", "prefecture", f"{place.country}/{place.prefecture}"))
        out.append(("place", "country", place.country))
    out += _name_tokens("mother", split_mother_name(record.get("mother_name")))
    out += _name_tokens("father", split_mother_name(record.get("father_name"))[:2])
    return out


def encode(*, record: dict, key: bytes, side: str) -> bytes:
    """The CLK of one record: ``BITS`` bits, as bytes, one segment per field.

    Double hashing (Kirsch and Mitzenmacher): bit_i = (h1 + i * h2) mod size, with h1 and h2 the
    two halves of HMAC-SHA256(key, segment || token), so each field has its own hash family.
    """
    bits = np.zeros(BITS, dtype=bool)
    for segment, kind, token in tokens(record=record, side=side):
        start, size = _SEGMENT[segment]
        digest = hmac.new(key, f"{segment}\x1f{token}".encode(), hashlib.sha256).digest()
        h1 = int.from_bytes(digest[:16], "big")
        h2 = int.from_bytes(digest[16:], "big") | 1
        for i in range(_K[(segment, kind)]):
            bits[start + (h1 + i * h2) % size] = True
    return np.packbits(bits).tobytes()


def to_text(encoding: bytes) -> str:
    return base64.b64encode(encoding).decode("ascii")


def from_text(text: str) -> bytes:
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) != BITS // 8:
        raise ValueError(f"an encoding has {BITS // 8} bytes, not {len(raw)}")
    return raw


def matrix(encodings: Sequence[bytes]) -> np.ndarray:
    """Encodings as rows of 64-bit words, for vectorised comparison."""
    if not encodings:
        return np.zeros((0, BITS // 64), dtype=np.uint64)
    return np.frombuffer(b"".join(encodings), dtype=np.uint64).reshape(len(encodings), -1)


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|A∩B| / (|A| + |B|) of two whole encodings."""
    x, y = matrix([a]), matrix([b])
    both = int(np.bitwise_count(x & y).sum())
    total = int(np.bitwise_count(x).sum() + np.bitwise_count(y).sum())
    return 2.0 * both / total if total else 0.0


def field_dice(q_matrix: np.ndarray, t_matrix: np.ndarray) -> np.ndarray:
    """Dice of every field for every (query, target) pair; -1 where a field is empty on a side."""
    q_counts = np.bitwise_count(q_matrix)
    t_counts = np.bitwise_count(t_matrix)
    both = np.bitwise_count(q_matrix[:, None, :] & t_matrix[None, :, :])
    out = np.empty((len(q_matrix), len(t_matrix), len(_WORDS)), dtype=np.float64)
    for f, (_name, lo, hi) in enumerate(_WORDS):
        qc = q_counts[:, lo:hi].sum(axis=1).astype(np.float64)[:, None]
        tc = t_counts[:, lo:hi].sum(axis=1).astype(np.float64)[None, :]
        shared = both[:, :, lo:hi].sum(axis=2).astype(np.float64)
        total = qc + tc
        value = np.divide(2.0 * shared, total, out=np.zeros_like(shared), where=total > 0)
        value[(qc == 0) | (tc == 0)] = -1.0
        out[:, :, f] = value
    return out


def _features(values: np.ndarray) -> np.ndarray:
    """Per field: Dice, Dice squared (evidence grows faster near 1) and "missing"."""
    missing = values < 0
    d = np.where(missing, 0.0, values)
    return np.concatenate([d, d * d, missing.astype(np.float64)], axis=-1)


def probability(values: np.ndarray, weights: dict | None = None) -> np.ndarray:
    """Match probability from the fields' Dice: a logistic model fitted on synthetic data."""
    weights = weights or WEIGHTS
    names = [name for name, _lo, _hi in _WORDS]
    beta = np.array([weights[n][k] for k in range(3) for n in names])
    logit = weights["intercept"] + _features(values) @ beta
    return 1.0 / (1.0 + np.exp(-np.clip(logit, -35, 35)))


def best_candidates(
    *,
    queries: Sequence[tuple[str, bytes]],
    targets: Sequence[tuple[str, bytes]],
    top_k: int = 10,
    floor: float = 0.0,
    chunk: int = 128,
    weights: dict | None = None,
) -> list[Candidate]:
    """For every query, its ``top_k`` targets by match probability at or above ``floor``.

    All pairs are compared (no blocking: blocking keys would have to be sent too, and a few
    thousand filters compare in about a second). Only the probability leaves this function.
    """
    target_ids = [t for t, _e in targets]
    t_matrix = matrix([e for _t, e in targets])
    out: list[Candidate] = []
    if not target_ids:
        return out
    k = min(top_k, len(target_ids))
    for start in range(0, len(queries), chunk):
        part = queries[start : start + chunk]
        scores = probability(field_dice(matrix([e for _q, e in part]), t_matrix), weights)
        best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        for row, (query_id, _e) in enumerate(part):
            for col in sorted(best[row], key=lambda c: -scores[row, c]):
                score = float(scores[row, col])
                if score >= floor:
                    out.append(Candidate(query_id, target_ids[col], round(score, 6)))
    return out


def fit_weights(
    *,
    queries: Sequence[tuple[str, bytes]],
    targets: Sequence[tuple[str, bytes]],
    truth: set[tuple[str, str]],
    per_query: int = 30,
    l2: float = 1.0,
) -> dict:
    """Fit the field weights on encodings with a known truth (synthetic data, never real).

    Training pairs are each query's ``per_query`` nearest targets by name plus the true pairs, as
    a reviewer would see them; Newton's method with an L2 penalty, as the clear-text model.
    """
    rows: list[np.ndarray] = []
    labels: list[float] = []
    t_matrix = matrix([e for _t, e in targets])
    for start in range(0, len(queries), 128):
        part = queries[start : start + 128]
        values = field_dice(matrix([e for _q, e in part]), t_matrix)
        name = values[:, :, 0]
        for row, (query_id, _e) in enumerate(part):
            chosen = set(np.argsort(-name[row], kind="stable")[:per_query].tolist())
            chosen |= {j for j, (t, _e) in enumerate(targets) if (query_id, t) in truth}
            for j in chosen:
                rows.append(values[row, j])
                labels.append(1.0 if (query_id, targets[j][0]) in truth else 0.0)
    x = np.concatenate([_features(np.array(rows)), np.ones((len(rows), 1))], axis=1)
    y = np.array(labels)
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35, 35)))
        gradient = x.T @ (p - y) + penalty * beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    n = len(_WORDS)
    weights = {"intercept": round(float(beta[-1]), 4)}
    for f, (name, _lo, _hi) in enumerate(_WORDS):
        weights[name] = [round(float(beta[f + k * n]), 4) for k in range(3)]
    return weights


def assign(
    *,
    candidates: Sequence[Candidate],
    threshold: float,
    per_target: int = 2,
    same_query: Callable[[str, str], bool] | None = None,
) -> set[tuple[str, str]]:
    """Greedy decision (anonlink's greedy solver): best pairs first, each query used once.

    A target (a child) may be claimed by two queries when ``same_query`` says they describe the
    same child (the mother's and the father's requests); otherwise once.
    """
    chosen: set[tuple[str, str]] = set()
    used_q: set[str] = set()
    taken: dict[str, list[str]] = {}
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.score < threshold:
            break
        claimed = taken.setdefault(c.target_id, [])
        if c.query_id in used_q or len(claimed) >= per_target:
            continue
        if claimed and (same_query is None or not all(same_query(c.query_id, q) for q in claimed)):
            continue
        chosen.add((c.query_id, c.target_id))
        used_q.add(c.query_id)
        claimed.append(c.query_id)
    return chosen
