"""A stand-in for the other node inside one test process: its own keys, and messages built
directly with joserfc (an independent use of the standard formats, not our sealing code)."""

from __future__ import annotations

import json
import time
import uuid

from joserfc import jwe, jws
from joserfc.jwk import ECKey


class RemoteNode:
    def __init__(self, name: str = "gabon", country: str = "GA", url: str = "http://127.0.0.1:9"):
        self.name, self.country, self.url = name, country, url
        self.sign = ECKey.generate_key("P-256", private=True)
        self.enc = ECKey.generate_key("P-256", private=True)

    def jwk(self, key: ECKey, use: str) -> dict:
        return {**key.as_dict(private=False), "use": use, "kid": key.thumbprint()}

    def identity(self) -> dict:
        return {
            "corridor_identity": 1,
            "node": self.name,
            "country": self.country,
            "url": self.url,
            "keys": [self.jwk(self.sign, "sig"), self.jwk(self.enc, "enc")],
        }

    def envelope(self, type: str, body: dict, *, to: str = "togo", now=None, ttl=3600, id=None):
        now = time.time() if now is None else now
        return {
            "v": 1,
            "id": id or str(uuid.uuid4()),
            "type": type,
            "from": self.name,
            "to": to,
            "created": int(now),
            "iat": int(now),
            "exp": int(now) + ttl,
            "body": body,
        }

    def seal(self, envelope: dict, *, recipient_jwk: dict, sign_key: ECKey | None = None) -> str:
        sign_key = sign_key or self.sign
        signed = jws.serialize_compact(
            {"alg": "ES256", "kid": sign_key.thumbprint()},
            json.dumps(envelope).encode(),
            sign_key,
        )
        return jwe.encrypt_compact(
            {"alg": "ECDH-ES+A256KW", "enc": "A256GCM", "kid": recipient_jwk["kid"]},
            signed.encode(),
            ECKey.import_key({k: recipient_jwk[k] for k in ("kty", "crv", "x", "y")}),
        )

    def open(self, token: str, sender_sig_jwk: dict) -> dict:
        signed = jwe.decrypt_compact(token, self.enc).plaintext
        public = ECKey.import_key({k: sender_sig_jwk[k] for k in ("kty", "crv", "x", "y")})
        return json.loads(jws.deserialize_compact(signed, public).payload)
