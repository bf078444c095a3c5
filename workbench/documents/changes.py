"""Each document's change stamp, kept in Redis: a number that moves on the commit of every
revision (anyone's save, propagation, bulk approval, an import, an agent) and every
suggestion (an agent's answer) of one of its segments.

The open editors poll for changes every few seconds; most polls find none. With the
stamp, a poll whose stamp has not moved is answered from Redis alone, without reading
revisions or rendering rows. The database stays the truth: the stamp only says "look
again". It is read before the database is, and moved after the commit, so a change is
either in what the database showed or moves the stamp later.

A stamp starts at a random number, so that a stamp lost with Redis (a restart, the
expiry below) and started again cannot repeat one a page still holds. It expires
STAMP_SECONDS after its last move: should a process die between a commit and the move,
the change shows at the next change of the document or at the latest when the stamp is
started again. Without Redis the stamp is "" and every poll reads the database.
"""

import functools
import logging
import secrets

import redis
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

STAMP_SECONDS = 600


@functools.cache
def _redis(url):
    # Quick to give up: without Redis the polls read the database, as they can.
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def _key(document_id):
    return f"workbench:document:{document_id}:changes"


def _start():
    return secrets.randbits(52)


def stamp(document_id):
    """The document's stamp as text, started if there is none; "" when Redis cannot say."""
    key = _key(document_id)
    try:
        pipe = _redis(settings.REDIS_URL).pipeline()
        pipe.set(key, _start(), nx=True, ex=STAMP_SECONDS)
        pipe.get(key)
        _, value = pipe.execute()
    except redis.RedisError:
        logger.warning(
            "Could not read a document's change stamp in Redis; polls read the database."
        )
        return ""
    return value.decode() if value else ""


def note_changed(document_ids):
    """Move the stamps of these documents once the current transaction commits."""
    document_ids = sorted(set(document_ids))
    if document_ids:
        transaction.on_commit(functools.partial(_move, document_ids), robust=True)


def _move(document_ids):
    try:
        pipe = _redis(settings.REDIS_URL).pipeline(transaction=False)
        for document_id in document_ids:
            key = _key(document_id)
            pipe.set(key, _start(), nx=True)
            pipe.incr(key)
            pipe.expire(key, STAMP_SECONDS)
        pipe.execute()
    except redis.RedisError:
        # The change is committed; an editor sees it when the stamp moves or expires.
        logger.warning("Could not move the change stamp of documents %s in Redis.", document_ids)
