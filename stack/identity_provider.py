"""The local identity provider: the bank's stand-in OpenID Connect provider (``stack/idp/``, a
Node app on ``oidc-provider``) and its Python side.

- Its files: the demo customers as users (:func:`write_users_file`, passwords
  :func:`demo_password`, stored as scrypt hashes) and its private signing keys
  (:func:`ensure_keys`, :func:`rotate_keys`: the first key signs, every key is published).
- Its process: :func:`provider_process` (command, environment and health URL, for
  ``stack.processes``) and :class:`LocalIdentityProvider` (start, stop and restart it alone, for
  tests and scripts).
- Signing in without a browser: :func:`sign_in` runs the authorization code flow with PKCE over
  HTTP, posting the provider's sign-in form as a person would; :func:`customer_token` returns a
  demo customer's access token.

The demo passwords are for local and test runs only; production configures the bank's own
provider (``IDENTITY_ISSUER``) and none of this runs there.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from pydantic_settings import BaseSettings, SettingsConfigDict

from bank.demo_customers import DEMO_LOGINS, DemoLogin

IDP_DIR = Path(__file__).resolve().parent / "idp"
SERVER_JS = IDP_DIR / "server.js"
DEFAULT_PORT = 8090
DEFAULT_ISSUER = f"http://127.0.0.1:{DEFAULT_PORT}"
DEFAULT_REDIRECT_URI = "http://127.0.0.1/"
CLIENT_IDS = ("banking-web", "banking-app")
LOA1 = "urn:bank:loa:1"  # signed in with login and password (now or earlier in the session)
LOA2 = "urn:bank:loa:2"  # password entered again for this request (acr_values=LOA2)
KEY_ALGORITHM = "RS256"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
USERS_FILE, KEYS_FILE = "users.json", "keys.json"


class IdentityProviderSettings(BaseSettings):
    """How the local provider runs (``IDP_*``; the Node app reads the same variables)."""

    model_config = SettingsConfigDict(env_prefix="IDP_", env_file=".env", extra="ignore")

    node: str = "node"  # the Node.js 20+ binary
    access_token_ttl_s: int = 900  # access and ID tokens


class SignInError(Exception):
    """The provider did not sign the customer in (the message names no customer)."""


class SignInRefused(SignInError):
    """Wrong login or password."""


class SignInThrottled(SignInError):
    """Too many failed sign-ins of this login or from this address: try again later."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed sign-ins; retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    expires_in: int


# -- users --------------------------------------------------------------------------------


def demo_password(login: str) -> str:
    """The demo customer's password at the local provider (local and test runs only)."""
    return f"{login}-demo-2026"


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64url), as ``stack/idp/users.js`` checks it."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            dklen=32, maxmem=64 * 1024 * 1024)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def user_record(login: str, subject: str, password: str) -> dict[str, str]:
    return {"login": login, "subject": subject, "password_hash": hash_password(password)}


def write_users_file(path: Path, logins: Iterable[DemoLogin] = DEMO_LOGINS) -> Path:
    """Write the provider's users file: each demo login with its :func:`demo_password`."""
    users = [user_record(d.login, d.subject, demo_password(d.login)) for d in logins]
    _write_private(path, json.dumps(users, indent=2))
    return path


def add_user(path: Path, login: str, subject: str, password: str) -> None:
    """Add (or replace) one user in the users file; the running provider sees it at once."""
    users = [u for u in json.loads(path.read_text()) if u.get("login") != login]
    _write_private(path, json.dumps([*users, user_record(login, subject, password)], indent=2))


# -- signing keys -------------------------------------------------------------------------


def new_signing_key() -> dict[str, Any]:
    """A new private RSA JWK for RS256, its kid the RFC 7638 thumbprint."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk: dict[str, Any] = RSAAlgorithm.to_jwk(key, as_dict=True)
    jwk.pop("key_ops", None)  # "use" says it; key_ops ["sign"] would hide it from verification
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"))
    return {**jwk, "kid": _b64(hashlib.sha256(canonical.encode()).digest()), "alg": KEY_ALGORITHM,
            "use": "sig"}


def ensure_keys(path: Path) -> Path:
    """Create the private key file (mode 0600) with one key unless it exists."""
    if not path.exists():
        _write_private(path, json.dumps({"keys": [new_signing_key()]}), exclusive=True)
    return path


def rotate_keys(path: Path, keep: int = 3) -> str:
    """Put a new key first (it signs from the provider's next start); the newest ``keep - 1``
    old ones stay published so tokens they signed stay valid. Returns the new kid."""
    keys = read_keys(path) if path.exists() else []
    key = new_signing_key()
    _write_private(path, json.dumps({"keys": [key, *keys][:keep]}))
    return str(key["kid"])


def read_keys(path: Path) -> list[dict[str, Any]]:
    keys = json.loads(path.read_text()).get("keys", [])
    return [k for k in keys if isinstance(k, dict)]


def signing_kid(path: Path) -> str:
    """The kid of the key that signs (the first)."""
    return str(read_keys(path)[0]["kid"])


# -- the process --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderProcess:
    """The provider's command line, own environment and health URL (a ``ProcessSpec``'s parts)."""

    command: list[str]
    env: dict[str, str]
    health_url: str
    issuer: str


def prepare_files(folder: Path) -> tuple[Path, Path]:
    """The users and keys files in ``folder``, made when missing. Returns (users, keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    users = folder / USERS_FILE
    if not users.exists():
        write_users_file(users)
    return users, ensure_keys(folder / KEYS_FILE)


def provider_process(
    port: int, folder: Path, *, audience: str = "banking-assistant",
    settings: IdentityProviderSettings | None = None, extra_env: Mapping[str, str] | None = None,
) -> ProviderProcess:
    """How to run the provider on 127.0.0.1:``port`` with the users and keys of ``folder``
    (:func:`prepare_files` makes them)."""
    settings = settings or IdentityProviderSettings()
    node = shutil.which(settings.node) or settings.node
    issuer = f"http://127.0.0.1:{port}"
    env = {
        "IDP_PORT": str(port),
        "IDP_ISSUER": issuer,
        "IDP_USERS_FILE": str(folder / USERS_FILE),
        "IDP_KEYS_FILE": str(folder / KEYS_FILE),
        "IDP_AUDIENCE": audience,
        "IDP_ACCESS_TOKEN_TTL_S": str(settings.access_token_ttl_s),
        **(extra_env or {}),
    }
    return ProviderProcess([node, str(SERVER_JS)], env, f"{issuer}/healthz", issuer)


@dataclass
class LocalIdentityProvider:
    """The provider alone, as a child process: for tests and scripts (the stack starts it
    through ``stack.processes``)."""

    port: int
    folder: Path
    audience: str = "banking-assistant"
    extra_env: dict[str, str] = field(default_factory=dict)
    _popen: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def users_file(self) -> Path:
        return self.folder / USERS_FILE

    @property
    def keys_file(self) -> Path:
        return self.folder / KEYS_FILE

    @property
    def log_path(self) -> Path:
        return self.folder / "idp.log"

    def start(self, timeout_s: float = 30) -> None:
        if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
            raise RuntimeError(f"{IDP_DIR} has no node_modules: run `make setup` (npm ci there).")
        prepare_files(self.folder)
        spec = provider_process(self.port, self.folder, audience=self.audience,
                                extra_env=self.extra_env)
        with self.log_path.open("ab") as log:
            self._popen = subprocess.Popen(  # noqa: S603 - our own fixed command
                spec.command, cwd=IDP_DIR, env={**os.environ, **spec.env}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        wait_healthy(spec.health_url, self._popen, timeout_s, self.log_path)

    def stop(self) -> None:
        if self._popen is not None and self._popen.poll() is None:
            os.killpg(self._popen.pid, signal.SIGTERM)
            try:
                self._popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._popen.pid, signal.SIGKILL)
                self._popen.wait()
        self._popen = None

    def restart(self) -> None:
        """Stop and start again (sessions end; keys and users are read anew)."""
        self.stop()
        self.start()


@contextmanager
def local_identity_provider(
    port: int, folder: Path | None = None, **kw: Any
) -> Iterator[LocalIdentityProvider]:
    """A started :class:`LocalIdentityProvider` (in a new temporary folder unless given)."""
    provider = LocalIdentityProvider(port, folder or Path(tempfile.mkdtemp(prefix="idp-")), **kw)
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


def wait_healthy(url: str, popen: subprocess.Popen[bytes], timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"the identity provider exited with {popen.returncode}; see {log}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the identity provider is not healthy after {timeout_s:.0f} s; see {log}")


# -- signing in ---------------------------------------------------------------------------


def sign_in(
    issuer: str, login: str, password: str | None = None, *, client_id: str = "banking-web",
    max_age: int | None = None, acr_values: str | None = None,
    redirect_uri: str = DEFAULT_REDIRECT_URI, http: httpx.Client | None = None,
) -> Tokens:
    """Sign ``login`` in with the authorization code flow and PKCE, without a browser: follow
    the provider's redirects, post its sign-in form when it shows one, exchange the code.

    ``password`` defaults to :func:`demo_password`. ``http`` keeps the provider's session
    cookie between calls (a second sign-in then reuses the session unless ``max_age`` or
    ``acr_values`` ask for the password again). Raises :class:`SignInRefused`,
    :class:`SignInThrottled` or :class:`SignInError`.
    """
    with _client(http) as client:
        verifier = secrets.token_urlsafe(48)
        code = authorization_code(
            issuer, login, password, code_challenge=pkce_challenge(verifier), client_id=client_id,
            max_age=max_age, acr_values=acr_values, redirect_uri=redirect_uri, http=client,
        )
        response = client.post(_endpoints(client, issuer)["token_endpoint"], data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": client_id, "code_verifier": verifier,
        })
        if response.status_code != 200:
            raise SignInError(f"token request refused: {_error_of(response)}")
        body = response.json()
        return Tokens(body["access_token"], body.get("id_token", ""), int(body["expires_in"]))


def authorization_code(
    issuer: str, login: str, password: str | None = None, *, code_challenge: str,
    client_id: str = "banking-web", max_age: int | None = None, acr_values: str | None = None,
    redirect_uri: str = DEFAULT_REDIRECT_URI, http: httpx.Client | None = None,
) -> str:
    """The first half of :func:`sign_in`: the authorization code for ``code_challenge`` (S256)."""
    with _client(http) as client:
        query = {
            "client_id": client_id, "response_type": "code", "scope": "openid profile",
            "redirect_uri": redirect_uri, "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(16), "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            **({"max_age": str(max_age)} if max_age is not None else {}),
            **({"acr_values": acr_values} if acr_values else {}),
        }
        url = f"{_endpoints(client, issuer)['authorization_endpoint']}?{urlencode(query)}"
        return _authorize(client, url, redirect_uri, query["state"], login, password or demo_password(login))


def pkce_challenge(verifier: str) -> str:
    """The S256 code challenge of a PKCE ``verifier``."""
    return _b64(hashlib.sha256(verifier.encode()).digest())


@contextmanager
def _client(http: httpx.Client | None) -> Iterator[httpx.Client]:
    if http is not None:
        yield http
        return
    with httpx.Client(timeout=10) as client:
        yield client


def _endpoints(client: httpx.Client, issuer: str) -> dict[str, Any]:
    response = client.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _authorize(client: httpx.Client, url: str, redirect_uri: str, state: str, login: str,
               password: str) -> str:
    """Follow the authorization request to the redirect back to the client; its code."""
    response = client.get(url)
    posted = False
    for _ in range(20):
        if response.is_redirect:
            location = urljoin(str(response.url), response.headers["location"])
            if _is_callback(location, redirect_uri):
                return _code_from(location, state)
            response = client.get(location)
            continue
        if response.status_code == 429:
            raise SignInThrottled(int(response.headers.get("retry-after", "60")))
        if response.status_code == 401 and posted:
            raise SignInRefused("wrong login or password")
        action = re.search(r'action="([^"]*/login)"', response.text)
        if response.status_code not in (200, 401) or action is None:
            raise SignInError(f"unexpected answer from the provider: HTTP {response.status_code}")
        response = client.post(urljoin(str(response.url), action.group(1)),
                               data={"login": login, "password": password})
        posted = True
    raise SignInError("too many redirects")


def _is_callback(location: str, redirect_uri: str) -> bool:
    got, want = urlsplit(location), urlsplit(redirect_uri)
    return all(getattr(got, part) == getattr(want, part) for part in ("scheme", "hostname", "port", "path"))


def _code_from(location: str, state: str) -> str:
    params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    if "error" in params:
        raise SignInError(f"authorization refused: {params['error']}")
    if params.get("state") != state or "code" not in params:
        raise SignInError("the provider's answer has no code for this request")
    return params["code"]


def _error_of(response: httpx.Response) -> str:
    try:
        return str(response.json().get("error", response.status_code))
    except ValueError:
        return str(response.status_code)


def customer_token(issuer: str, customer_id: str, **kw: Any) -> str:
    """The access token of ``customer_id`` (see :func:`sign_in`): a demo customer by their
    login, any other customer added to the users file by their id as login."""
    login = next((d.login for d in DEMO_LOGINS if d.customer_id == customer_id), customer_id)
    return sign_in(issuer, login, **kw).access_token


def demo_login_lines(issuer: str) -> list[str]:
    """What ``make up`` prints: the issuer and the demo customers' logins and passwords."""
    width = max(len(d.login) for d in DEMO_LOGINS)
    pw_width = max(len(demo_password(d.login)) for d in DEMO_LOGINS)
    lines = [f"  Identity:   {issuer}  (local stand-in; `python -m stack.token alex` prints a token)",
             "  Demo customers (login, password, customer):"]
    lines += [f"    {d.login:<{width}}  {demo_password(d.login):<{pw_width}}  {d.customer_id}"
              for d in DEMO_LOGINS]
    return lines


# -- files --------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _write_private(path: Path, text: str, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` (mode 0600) atomically; ``exclusive``: only if it is absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        else:
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
