"""``python -m stack up``: migrate and seed the database, start the stack, print the URL."""

from __future__ import annotations

import argparse
import os
import signal
import time

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


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m stack", description=__doc__)
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--profile", choices=PROFILES, default=os.environ.get("PROFILE") or "embedded",
                        help="embedded: SQLite, one of each process; prod: Postgres, Redis, "
                             "RabbitMQ and two of each process")
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("API_PORT", 8000)))
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument("--action-port", type=int, default=int(os.environ.get("ACTION_PORT", 5055)))
    args = parser.parse_args()

    default_db = PROD_DATABASE_URL if args.profile == "prod" else f"sqlite:///{ROOT / 'var' / 'bank.db'}"
    database_url = os.environ.get("DATABASE_URL", default_db)
    (ROOT / "var").mkdir(exist_ok=True)
    print("stack: migrating and seeding the database", flush=True)
    prepare_database(database_url)
    config = StackConfig(
        database_url=database_url, model=latest_model(), action_port=args.action_port,
        rasa_port=args.rasa_port, api_port=args.api_port, profile=args.profile,
        # prod: the second Rasa and action server listen on the next ports (5006, 5056)
        action_ports=[args.action_port, args.action_port + 1],
        rasa_ports=[args.rasa_port, args.rasa_port + 1],
    )
    stack = Stack(config)
    print(f"stack: starting the {args.profile} profile: {', '.join(stack.names)} "
          f"(model {config.model.name}, logs in {config.log_dir})", flush=True)
    try:
        stack.start()
    except StackError as exc:
        stack.stop()
        raise SystemExit(f"stack: {exc}") from exc
    print(f"\n  Web chat:  {config.api_url}/\n  API docs:  {config.api_url}/docs\n"
          f"  Rasa:      {', '.join(config.rasa_urls)}\n  Actions:   {', '.join(config.action_urls)}\n\n"
          "Press Ctrl-C to stop.", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while all(p.popen.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        print("stack: a process exited; stopping the others", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
