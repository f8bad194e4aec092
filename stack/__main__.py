"""``python -m stack up``: migrate and seed the database, start the stack, seed simulated
journeys on first start, print the URLs, the demo customers' sign-in at the local identity
provider and the demo colleagues' sign-in."""

from __future__ import annotations

import argparse
import os
import signal
import time

from database.settings import default_database_url
from stack.demo import seed_journeys, simulation_enabled, staff_lines
from stack.identity_provider import DEFAULT_PORT as DEFAULT_IDP_PORT
from stack.identity_provider import demo_login_lines
from stack.processes import (
    PROFILES,
    ROOT,
    Stack,
    StackConfig,
    StackError,
    latest_model,
    prepare_database,
)

PROD_DATABASE_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/banking"


class _Interrupt:
    """The SIGINT and SIGTERM handler: the first signal stops the stack (KeyboardInterrupt);
    later ones, and any once stopping has begun, are ignored so that no process is orphaned."""

    stopping = False

    def __call__(self, *_: object) -> None:
        if not self.stopping:
            self.stopping = True
            raise KeyboardInterrupt


def _banner(config: StackConfig) -> str:
    """Where everything is and, locally, how the demo customers and colleagues sign in."""
    lines = ["", f"  Web chat:   {config.api_url}/", f"  Analytics:  {config.api_url}/analytics",
             f"  API docs:   {config.api_url}/docs", f"  Rasa:       {', '.join(config.rasa_urls)}",
             f"  Actions:    {', '.join(config.action_urls)}", "", *demo_login_lines(config.issuer), ""]
    staff = staff_lines()
    return "\n".join([*lines, *staff, *([""] if staff else []), "Press Ctrl-C to stop."])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--profile", choices=PROFILES, default=os.environ.get("PROFILE") or "embedded",
                        help="embedded: SQLite, one of each process; prod: Postgres, Redis, "
                             "RabbitMQ and two of each process")
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("API_PORT", 8000)))
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument("--action-port", type=int, default=int(os.environ.get("ACTION_PORT", 5055)))
    parser.add_argument("--idp-port", type=int, default=int(os.environ.get("IDP_PORT", DEFAULT_IDP_PORT)),
                        help="the local identity provider (issuer http://127.0.0.1:PORT)")
    parser.add_argument("--no-simulate", dest="simulate", action="store_false",
                        default=simulation_enabled(os.environ),
                        help="don't drive simulated customers through the API on first start "
                             "(an empty journey store) to fill /analytics; also SIMULATE=0")
    args = parser.parse_args()

    default_db = PROD_DATABASE_URL if args.profile == "prod" else default_database_url()
    database_url = os.environ.get("DATABASE_URL", default_db)
    (ROOT / "var").mkdir(exist_ok=True)
    print("stack: migrating and seeding the database", flush=True)
    prepare_database(database_url)
    config = StackConfig(
        database_url=database_url, model=latest_model(), action_port=args.action_port,
        rasa_port=args.rasa_port, api_port=args.api_port, idp_port=args.idp_port, profile=args.profile,
        # prod: the second Rasa and action server listen on the next ports (5006, 5056)
        action_ports=[args.action_port, args.action_port + 1],
        rasa_ports=[args.rasa_port, args.rasa_port + 1],
    )
    stack = Stack(config)
    print(f"stack: starting the {args.profile} profile: {', '.join(stack.names)} "
          f"(model {config.model.name}, logs in {config.log_dir})", flush=True)
    interrupt = _Interrupt()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, interrupt)
    try:
        stack.start()
        if args.simulate:
            seed_journeys(config.api_url, database_url)
        print(_banner(config), flush=True)
        while all(p.popen.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        print("stack: a process exited; stopping the others", flush=True)
    except StackError as exc:
        raise SystemExit(f"stack: {exc}") from exc
    except KeyboardInterrupt:
        pass
    finally:
        interrupt.stopping = True
        stack.stop()


if __name__ == "__main__":
    main()
