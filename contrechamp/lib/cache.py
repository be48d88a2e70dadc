"""The cache shared by every process of an instance, chosen by one `CACHE_URL`.

Rate limits and log-in lockouts count in this cache, so it must be the same for the
web processes, the worker and `serve`'s children. The default keeps it in the database
the instance already has (nothing to install); at scale a Redis server is one URL away.

    db://contrechamp_cache   the database, table `contrechamp_cache` (the default)
    redis://host:6379/0      Redis (needs the `redis` package)
    file:///var/cache/cc     files in a directory (one host only)
    locmem://                this process only: counts are NOT shared (tests, a laptop)
"""

from __future__ import annotations

import base64
import pickle
from typing import Any
from urllib.parse import urlparse

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

DEFAULT_TABLE = "contrechamp_cache"


def cache_from_url(url: str) -> dict[str, Any]:
    """Return a Django CACHES entry for `url` (forms above)."""
    parsed = urlparse(url)
    if parsed.scheme == "db":
        return {
            "BACKEND": "contrechamp.lib.cache.AtomicDatabaseCache",
            "LOCATION": parsed.netloc or parsed.path.strip("/") or DEFAULT_TABLE,
            # Django culls a third of the table past MAX_ENTRIES (300 by default): a flood
            # of addresses could then wipe every counter. Expired rows go first anyway.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    if parsed.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parsed.scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": parsed.path,
            # Its `incr` rewrites the entry with the default timeout: long enough for a
            # day's windows (keys carry their window, so a longer life changes no count).
            "TIMEOUT": 2 * 86400,
        }
    if parsed.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ValueError(f"CACHE_URL: unknown scheme in {url!r} (db, redis, file or locmem)")


class AtomicDatabaseCache(DatabaseCache):
    """Django's database cache with an `incr` that loses no increment.

    Django's own `incr` reads, adds and writes back (and resets the expiry): two processes
    counting failed log-ins at once could both write 5 after 4 (two processes counting 150
    each ended at 203 to 272). Here the row is locked first, inside a transaction: on
    PostgreSQL by SELECT ... FOR UPDATE, on SQLite by an UPDATE that changes nothing,
    which takes the database's write lock; the read sees every earlier increment and none
    can slip in before the write. The expiry is kept. A missing key is created by `add`,
    which the table's primary key makes atomic (the loser of a race gets False and
    increments instead).
    """

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, ckey, cvalue, cexpires = (
            quote(self._table),  # type: ignore[attr-defined]
            quote("cache_key"),
            quote("value"),
            quote("expires"),
        )
        # A counter lost in a crash costs nothing; waiting for the disk on every counted
        # request costs milliseconds on PostgreSQL. Only when this transaction is ours
        # alone: inside someone else's, SET LOCAL would weaken their writes too.
        relaxed = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=db), connection.cursor() as cursor:
            if relaxed:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            select = f"SELECT {cvalue}, {cexpires} FROM {table} WHERE {ckey} = %s"
            if connection.features.has_select_for_update:
                cursor.execute(select + " FOR UPDATE", [cache_key])
            else:
                # SQLite: an UPDATE that changes nothing takes the database's write lock.
                cursor.execute(
                    f"UPDATE {table} SET {cexpires} = {cexpires} WHERE {ckey} = %s", [cache_key]
                )
                cursor.execute(select, [cache_key])
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key {key!r} not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {cvalue} = %s WHERE {ckey} = %s", [encoded, cache_key]
            )
        return value

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        from django.db import models
        from django.utils.timezone import now

        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return bool(expires < now())
