from django.core.checks import Error, Tags, register
from django.db import connections


@register(Tags.database)
def check_trigrams_see_chinese(app_configs, databases=None, **kwargs):
    """pg_trgm only makes trigrams of characters the database's LC_CTYPE calls letters;
    under LC_CTYPE=C it silently drops every Chinese character and fuzzy TM lookup of
    Chinese finds nothing."""
    errors = []
    for alias in databases or []:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            (ctype,) = cursor.fetchone()
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            if cursor.fetchone() is None:
                continue  # migrate creates it; the check runs again after
            cursor.execute("SELECT cardinality(show_trgm('中文'))")
            (trigrams,) = cursor.fetchone()
        if not trigrams:
            errors.append(
                Error(
                    f"The database's LC_CTYPE is {ctype!r}, under which pg_trgm ignores Chinese "
                    "characters, so fuzzy matching of Chinese would find nothing.",
                    hint="Recreate the database with a UTF-8 LC_CTYPE, e.g. CREATE DATABASE ... "
                    "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'.",
                    id="memory.E001",
                )
            )
    return errors
