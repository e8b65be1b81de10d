"""Privacy-preserving record linkage: cryptographic long-term keys (CLKs) and Dice similarity.

A node asks its peer "do you hold a child like this one?" without sending a name, a date or a
place. Each record becomes one Bloom filter (Schnell, Bachteler and Reiher 2009, "Privacy-
preserving record linkage using Bloom filters"; the CLK of clkhash/anonlink): every token of every
field (phonetic bigrams of the names, the name's variant family, plausible birth years, sex,
prefecture) sets ``k`` bits chosen by double hashing with HMAC-SHA256 under a key derived (HKDF,
RFC 5869) from a secret only the two nodes share. The peer, which holds the same key, encodes its
own children the same way and answers with candidate ids and Dice coefficients only.

clkhash 0.18 pins ``cryptography<41`` and is no longer released, so the documented scheme is
implemented here on the standard library (``hmac``/``hashlib``) and numpy. Django-free.

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
    "Candidate",
    "pair_key",
    "tokens",
    "encode",
    "to_text",
    "from_text",
    "dice",
    "best_candidates",
    "assign",
]

BITS = 1024
ENCODING_VERSION = "clk-hmac-sha256-v1"
"""Changes whenever tokens or hashing change; a peer refuses encodings of another version."""

# Bits set per token, by field: the evidence a field carries, as clkhash's per-field ``k``.
_K = {
    "nb": 8,  # bigram of a name's phonetic key
    "nv": 20,  # the name's variant family (Kossi/Cossi/Kwasi) or phonetic key
    "by": 20,  # a plausible birth year
    "sx": 12,  # sex
    "pf": 16,  # prefecture of origin (old and new names resolve to one)
    "mb": 4,  # bigram of the mother's name
    "mv": 12,  # the mother's name's variant family
    "fv": 8,  # the father's name's variant family
}


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


def tokens(*, record: dict, side: str) -> list[tuple[str, str]]:
    """The (field, token) pairs of a record in the corridor CSV format, before hashing.

    Given and family names go into one field so that a surname-first entry encodes the same;
    birth years are widened by a year for an age guessed from looks, whose error is in years.
    """
    given, family = orient_name(
        given_names=record.get("given_names") or "", family_name=record.get("family_name") or ""
    )
    out: list[tuple[str, str]] = []
    for token in dict.fromkeys([*given, *family]):
        key = phonetic_key(token)
        out += [("nb", gram) for gram in _bigrams(key)]
        out.append(("nv", token_key(token)))
    birth = birth_range(record=record, side=side)
    if birth is not None:
        widen = 1 if birth.kind == "age" else 0
        for year in range(math.floor(birth.low) - widen, math.floor(birth.high) + widen + 1):
            out.append(("by", str(year)))
    sex = (record.get("sex") or "").strip().upper()
    if sex in ("M", "F"):
        out.append(("sx", sex))
    place = resolve_place(record.get("place_of_origin")) or resolve_place(
        record.get("origin_prefecture")
    )
    if place is not None:
        out.append(("pf", f"{place.country}/{place.prefecture}"))
    mother = split_mother_name(record.get("mother_name"))
    for token in mother:
        out += [("mb", gram) for gram in _bigrams(phonetic_key(token))]
        out.append(("mv", token_key(token)))
    for token in split_mother_name(record.get("father_name"))[:1]:
        out.append(("fv", token_key(token)))
    return out


def encode(*, record: dict, key: bytes, side: str) -> bytes:
    """The CLK of one record: ``BITS`` bits, as bytes.

    Double hashing (Kirsch and Mitzenmacher): bit_i = (h1 + i * h2) mod BITS, with h1 and h2 the
    two halves of HMAC-SHA256(key, field || token), so each field has its own hash family.
    """
    bits = np.zeros(BITS, dtype=bool)
    for field, token in tokens(record=record, side=side):
        digest = hmac.new(key, f"{field}\x1f{token}".encode(), hashlib.sha256).digest()
        h1 = int.from_bytes(digest[:16], "big")
        h2 = int.from_bytes(digest[16:], "big") | 1
        for i in range(_K[field]):
            bits[(h1 + i * h2) % BITS] = True
    return np.packbits(bits).tobytes()


def to_text(encoding: bytes) -> str:
    return base64.b64encode(encoding).decode("ascii")


def from_text(text: str) -> bytes:
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) != BITS // 8:
        raise ValueError(f"an encoding has {BITS // 8} bytes, not {len(raw)}")
    return raw


def _matrix(encodings: Sequence[bytes]) -> np.ndarray:
    if not encodings:
        return np.zeros((0, BITS // 64), dtype=np.uint64)
    return np.frombuffer(b"".join(encodings), dtype=np.uint64).reshape(len(encodings), -1)


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient 2|A∩B| / (|A| + |B|) of two encodings."""
    x, y = _matrix([a]), _matrix([b])
    both = int(np.bitwise_count(x & y).sum())
    total = int(np.bitwise_count(x).sum() + np.bitwise_count(y).sum())
    return 2.0 * both / total if total else 0.0


def best_candidates(
    *,
    queries: Sequence[tuple[str, bytes]],
    targets: Sequence[tuple[str, bytes]],
    top_k: int = 10,
    floor: float = 0.0,
    chunk: int = 256,
) -> list[Candidate]:
    """For every query, its ``top_k`` targets by Dice at or above ``floor`` (all pairs, no
    blocking: blocking keys would have to be sent too, and a few thousand filters compare in
    well under a second)."""
    target_ids = [t for t, _e in targets]
    t_matrix = _matrix([e for _t, e in targets])
    t_counts = np.bitwise_count(t_matrix).sum(axis=1).astype(np.float64)
    out: list[Candidate] = []
    if not target_ids:
        return out
    for start in range(0, len(queries), chunk):
        part = queries[start : start + chunk]
        q_matrix = _matrix([e for _q, e in part])
        q_counts = np.bitwise_count(q_matrix).sum(axis=1).astype(np.float64)
        both = np.bitwise_count(q_matrix[:, None, :] & t_matrix[None, :, :]).sum(axis=2)
        denominator = q_counts[:, None] + t_counts[None, :]
        scores = np.divide(
            2.0 * both, denominator, out=np.zeros_like(denominator), where=denominator > 0
        )
        k = min(top_k, len(target_ids))
        best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        for row, (query_id, _e) in enumerate(part):
            for col in sorted(best[row], key=lambda c: -scores[row, c]):
                score = float(scores[row, col])
                if score >= floor:
                    out.append(Candidate(query_id, target_ids[col], round(score, 6)))
    return out


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
