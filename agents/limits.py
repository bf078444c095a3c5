"""How many requests go to a model endpoint, and when.

`CallSlots` caps the requests one job has in flight (its concurrency) while more batches
than that are under way, so a batch that is between calls (checking, checkpointing, or
waiting on a slow answer elsewhere) never leaves the model idle; a waiting request of an
earlier stage goes first, so the batches in flight move through their stages together
and finish together instead of trailing one long chain at the end.

`EndpointBudget` is an endpoint's requests-per-minute and tokens-per-minute budget shared
by every thread of every worker through Redis: two token buckets in one hash, changed
only by one Lua script, so each change is atomic. A caller reserves its turn and sleeps
until then; the buckets may go into debt, which queues later callers behind it in order.
A 429 puts the whole endpoint on hold: everyone waits out the server's Retry-After, and
the request bucket restarts empty, so the requests after the hold are paced rather than
sent all at once.
"""

import hashlib
import heapq
import itertools
import logging
import threading
import time
from contextlib import contextmanager

import redis

logger = logging.getLogger(__name__)

KEY_PREFIX = "workbench:model-budget:"
# A budget nobody used for this long is forgotten.
IDLE_SECONDS = 3600
# After Redis failed, how long requests go without asking it again.
UNAVAILABLE_SECONDS = 30

_BUDGET_SCRIPT = """
local key = KEYS[1]
local op = ARGV[1]
local amount = tonumber(ARGV[2])
local rpm = tonumber(ARGV[3])
local tpm = tonumber(ARGV[4])
local burst = tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local hold = tonumber(redis.call('HGET', key, 'hold') or '0')

-- A bucket is kept as the moment it will be full again ('due'); a request costing c may
-- go once due - capacity/rate <= now. Taking more than there is leaves due in the future:
-- the caller waits, and so does everyone after it.
local function capacity(per_minute)
  return math.max(1, per_minute * burst / 60)
end
local function take(field, per_minute, cost)
  if per_minute <= 0 then return 0 end
  local rate = per_minute / 60
  local due = math.max(tonumber(redis.call('HGET', key, field) or '0'), now) + cost / rate
  redis.call('HSET', key, field, tostring(due))
  return due - capacity(per_minute) / rate - now
end

local result = 0
if op == 'reserve' then
  result = math.max(0, hold - now, take('requests', rpm, 1), take('tokens', tpm, amount))
elseif op == 'held' then
  result = math.max(0, hold - now)
elseif op == 'settle' then
  if tpm > 0 then
    local rate = tpm / 60
    local due = tonumber(redis.call('HGET', key, 'tokens') or '0')
    if amount >= 0 then
      due = math.max(due, now) + amount / rate
    else
      due = math.max(due + amount / rate, now)
    end
    redis.call('HSET', key, 'tokens', tostring(due))
  end
elseif op == 'hold' then
  hold = math.max(hold, now + amount)
  redis.call('HSET', key, 'hold', tostring(hold))
  if rpm > 0 then
    local rate = rpm / 60
    local empty = hold + (capacity(rpm) - 1) / rate
    local due = math.max(tonumber(redis.call('HGET', key, 'requests') or '0'), empty)
    redis.call('HSET', key, 'requests', tostring(due))
  end
end
redis.call('EXPIRE', key, tonumber(ARGV[6]))
return tostring(result)
"""


class CallSlots:
    """At most `size` requests in flight. Waiting requests go in order of priority (lower
    first), then of arrival."""

    def __init__(self, size: int):
        self.size = max(1, size)
        self._free = self.size
        self._waiting: list[tuple[int, int]] = []
        self._tickets = itertools.count()
        self._changed = threading.Condition()

    @contextmanager
    def taken(self, priority: int = 0):
        with self._changed:
            turn = (priority, next(self._tickets))
            heapq.heappush(self._waiting, turn)
            while not (self._free and self._waiting[0] == turn):
                self._changed.wait()
            heapq.heappop(self._waiting)
            self._free -= 1
            # The next in line may find a slot free too.
            self._changed.notify_all()
        try:
            yield
        finally:
            with self._changed:
                self._free += 1
                self._changed.notify_all()


class EndpointBudget:
    """The requests and tokens per minute one endpoint allows, shared through Redis by
    everyone who calls it. None or 0 is no limit; a 429 still holds everyone."""

    def __init__(
        self,
        client: redis.Redis,
        base_url: str,
        *,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        burst_seconds: float = 1.0,
    ):
        self.base_url = base_url
        self.requests_per_minute = requests_per_minute or 0
        self.tokens_per_minute = tokens_per_minute or 0
        # How much of a minute's budget may go at once: one second's worth (at least one
        # request), so requests are spread over the minute as providers count them.
        self.burst_seconds = burst_seconds
        self.key = KEY_PREFIX + hashlib.sha256(base_url.encode()).hexdigest()[:24]
        self._script = client.register_script(_BUDGET_SCRIPT)
        self._unavailable_until = 0.0

    def wait_turn(self, tokens: int) -> None:
        wait = self._run("reserve", tokens)
        while wait > 0:
            time.sleep(wait)
            # A 429 may have put everyone on hold while this caller slept.
            wait = self._run("held")

    def settle(self, tokens: int) -> None:
        if tokens and self.tokens_per_minute:
            self._run("settle", tokens)

    def hold(self, seconds: float) -> None:
        """Nobody sends for `seconds`; each caller waits it out in its next wait_turn."""
        self._run("hold", seconds)

    def _run(self, op: str, amount: float = 0) -> float:
        if time.monotonic() < self._unavailable_until:
            return 0.0
        try:
            return float(
                self._script(
                    keys=[self.key],
                    args=[
                        op,
                        amount,
                        self.requests_per_minute,
                        self.tokens_per_minute,
                        self.burst_seconds,
                        IDLE_SECONDS,
                    ],
                )
            )
        except redis.RedisError:
            # The budget is a courtesy to the endpoint; without Redis the endpoint's own
            # 429s still pace the calls, so drafting goes on.
            logger.warning(
                "The shared budget of %s is unavailable in Redis; requests go unpaced for %s s.",
                self.base_url,
                UNAVAILABLE_SECONDS,
            )
            self._unavailable_until = time.monotonic() + UNAVAILABLE_SECONDS
            return 0.0
