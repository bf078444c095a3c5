import sys

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand
from psycopg import sql

HOW_TO_START = (
    "Start them with `docker compose up -d db redis`, or set {var} to a reachable server."
)


class Command(BaseCommand):
    help = (
        "Make sure PostgreSQL and Redis answer, the database exists with a UTF-8 LC_CTYPE "
        "and has pg_trgm. Safe to run again."
    )

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "connect_timeout": 5,
        }
        try:
            admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
        except psycopg.OperationalError as error:
            self.fail(f"PostgreSQL cannot be reached ({error}).", "DATABASE_URL")
        with admin:
            row = admin.execute(
                "SELECT datctype FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone()
            if row is None:
                admin.execute(
                    sql.SQL(
                        "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                    ).format(sql.Identifier(db["NAME"]))
                )
                self.stdout.write(f"Created database {db['NAME']} (UTF-8, C.UTF-8).")
            elif "utf" not in row[0].lower():
                self.fail(
                    f"Database {db['NAME']} has LC_CTYPE {row[0]!r}; pg_trgm would ignore "
                    "Chinese. Recreate it with LC_CTYPE 'C.UTF-8'.",
                    "DATABASE_URL",
                )
        with psycopg.connect(dbname=db["NAME"], autocommit=True, **params) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5).ping()
        except redis.RedisError as error:
            self.fail(f"Redis cannot be reached at {settings.REDIS_URL} ({error}).", "REDIS_URL")
        self.stdout.write(self.style.SUCCESS("PostgreSQL and Redis are ready."))

    def fail(self, message, var):
        self.stderr.write(self.style.ERROR(message) + "\n" + HOW_TO_START.format(var=var))
        sys.exit(1)
