"""A real HTTP issuer for verifier tests: a discovery document and a JWKS served from a thread,
with keys the test makes and signs with (the provider's keys stay the provider's)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

AUDIENCE = "banking-assistant"


@dataclass
class LocalIssuer:
    """Keys published at ``url``; ``sign`` makes tokens with the first (or a given) key."""

    url: str = ""
    keys: list[tuple[str, rsa.RSAPrivateKey]] = field(default_factory=list)
    jwks_requests: int = 0
    up: bool = True

    def add_key(self, kid: str) -> None:
        self.keys.insert(0, (kid, rsa.generate_private_key(public_exponent=65537, key_size=2048)))

    def jwks(self) -> dict[str, Any]:
        published = []
        for kid, key in self.keys:
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            published.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": published}

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        return {"iss": self.url, "aud": AUDIENCE, "sub": "subject-1", "iat": now, "exp": now + 300,
                "auth_time": now, "acr": "urn:bank:loa:1", **overrides}

    def sign(self, kid: str | None = None, key: rsa.RSAPrivateKey | None = None, **claims: Any) -> str:
        kid = kid or self.keys[0][0]
        key = key or dict(self.keys)[kid]
        return jwt.encode(self.claims(**claims), key, algorithm="RS256", headers={"kid": kid})


@contextmanager
def local_issuer() -> Iterator[LocalIssuer]:
    issuer = LocalIssuer()
    issuer.add_key("key-1")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if not issuer.up:
                self.send_error(503)
                return
            if self.path == "/.well-known/openid-configuration":
                body = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"}
            elif self.path == "/jwks":
                issuer.jwks_requests += 1
                body = issuer.jwks()
            else:
                self.send_error(404)
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    issuer.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()
