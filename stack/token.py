"""``python -m stack.token LOGIN``: sign a demo customer in at the running identity provider
and print their access token (for curl; see the README's "Sign in").

The issuer is ``--issuer``, else ``IDENTITY_ISSUER``, else the local provider of ``make up``;
the password defaults to the demo password of ``LOGIN``.
"""

from __future__ import annotations

import argparse
import os
import sys

import httpx

from stack.identity_provider import CLIENT_IDS, DEFAULT_ISSUER, SignInError, sign_in


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stack.token", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("login", help="a demo customer's login: alex, priya, tom, ...")
    parser.add_argument("--issuer", default=os.environ.get("IDENTITY_ISSUER") or DEFAULT_ISSUER)
    parser.add_argument("--password", help="default: the demo password of LOGIN")
    parser.add_argument("--client-id", choices=CLIENT_IDS, default=CLIENT_IDS[0])
    parser.add_argument("--acr-values", help="e.g. urn:bank:loa:2 (a step-up login)")
    parser.add_argument("--id-token", action="store_true", help="print the ID token instead")
    args = parser.parse_args(argv)
    try:
        tokens = sign_in(args.issuer, args.login, args.password, client_id=args.client_id,
                         acr_values=args.acr_values)
    except SignInError as exc:
        print(f"stack.token: {exc}", file=sys.stderr)
        return 1
    except httpx.HTTPError as exc:
        print(f"stack.token: no identity provider answers at {args.issuer} ({type(exc).__name__}); "
              "is the stack up?", file=sys.stderr)
        return 1
    print(tokens.id_token if args.id_token else tokens.access_token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
