"""``python -m service.staff seed``: create the demo colleagues (idempotent), in local and
test environments only (``SERVICE_ENVIRONMENT``); anywhere else it refuses.

The password is ``SERVICE_DEMO_STAFF_PASSWORD``, or the built-in demo one.
"""

from __future__ import annotations

import argparse

from sqlalchemy.orm import sessionmaker

from service.settings import get_settings
from service.staff.errors import StaffError
from service.staff.seed import seed_demo_staff
from service.staff.settings import StaffSettings
from service.staff.store import StaffStore


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m service.staff", description=__doc__)
    parser.add_argument("command", choices=["seed"])
    parser.parse_args()
    from database.engine import get_engine

    staff_settings = StaffSettings()
    try:
        password = staff_settings.demo_password()
    except StaffError as exc:
        raise SystemExit(f"service.staff: {exc.message}") from exc
    engine = get_engine(get_settings().database_url)
    try:
        store = StaffStore(sessionmaker(engine), scrypt_log2_n=staff_settings.scrypt_log2_n)
        created = seed_demo_staff(store, password)
    finally:
        engine.dispose()
    print(f"service.staff: demo colleagues created: {', '.join(created) or 'none (all exist)'}")


if __name__ == "__main__":
    main()
