"""How requests reach an endpoint: call slots within a job, and the per-endpoint budget of
requests and tokens per minute that every worker shares through Redis, which a 429 puts on
hold for everyone. Only lower bounds of time are checked: a wait that must happen."""

import threading
import time
import uuid

import pytest
import redis
from django.conf import settings

from agents.limits import CallSlots, EndpointBudget
from agents.llm import LLMClient
from tests.test_agents_llm import translate


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def endpoint_url(redis_client):
    """A base URL no other test shares, and its budget removed afterwards."""
    url = f"http://model-{uuid.uuid4().hex[:8]}.test/v1"
    yield url
    redis_client.delete(EndpointBudget(redis_client, url).key)


def test_call_slots_let_the_earliest_stage_go_first():
    slots = CallSlots(1)
    order = []

    def call(priority):
        with slots.taken(priority):
            order.append(priority)

    threads = [threading.Thread(target=call, args=(priority,)) for priority in (3, 1, 2, 1)]
    with slots.taken(0):
        for thread in threads:
            thread.start()
        while len(slots._waiting) < len(threads):
            time.sleep(0.01)
    for thread in threads:
        thread.join(5)

    assert order == [1, 1, 2, 3]


def test_call_slots_never_let_more_requests_out_than_they_hold():
    slots = CallSlots(3)
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def call():
        with slots.taken():
            with lock:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
            time.sleep(0.02)
            with lock:
                in_flight[0] -= 1

    threads = [threading.Thread(target=call) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)

    assert most[0] == 3


def test_the_budget_paces_requests_to_the_limit(redis_client, endpoint_url):
    # 600 a minute is 10 a second, with a second's worth (10) at once.
    budget = EndpointBudget(redis_client, endpoint_url, requests_per_minute=600)
    started = time.monotonic()

    for _ in range(30):
        budget.wait_turn(100)

    assert time.monotonic() - started >= 1.9


def test_every_worker_shares_the_budget_of_an_endpoint(redis_client, endpoint_url):
    workers = [
        EndpointBudget(
            redis.Redis.from_url(settings.REDIS_URL), endpoint_url, requests_per_minute=600
        )
        for _ in range(3)
    ]
    started = time.monotonic()

    threads = [
        threading.Thread(target=lambda w=w: [w.wait_turn(0) for _ in range(10)]) for w in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    # 30 requests at 10 a second after the first 10: no worker has a budget of its own.
    assert time.monotonic() - started >= 1.9


def test_another_endpoint_has_its_own_budget(redis_client, endpoint_url):
    other_url = endpoint_url.replace("model-", "other-")

    assert (
        EndpointBudget(redis_client, endpoint_url).key
        != EndpointBudget(redis_client, other_url).key
    )
    assert EndpointBudget(redis_client, endpoint_url).key == (
        EndpointBudget(redis.Redis.from_url(settings.REDIS_URL), endpoint_url).key
    )


def test_the_budget_paces_tokens_per_minute(redis_client, endpoint_url):
    # 60,000 tokens a minute is 1,000 a second, with a second's worth at once.
    budget = EndpointBudget(redis_client, endpoint_url, tokens_per_minute=60_000)
    started = time.monotonic()

    for _ in range(4):
        budget.wait_turn(1000)

    assert time.monotonic() - started >= 2.9


def test_tokens_used_beyond_the_estimate_are_charged_afterwards(redis_client, endpoint_url):
    budget = EndpointBudget(redis_client, endpoint_url, tokens_per_minute=60_000)
    budget.wait_turn(100)
    budget.settle(2900)
    started = time.monotonic()

    budget.wait_turn(100)

    assert time.monotonic() - started >= 1.9


def test_a_hold_makes_everyone_wait(redis_client, endpoint_url):
    told = EndpointBudget(redis_client, endpoint_url)
    other_worker = EndpointBudget(redis.Redis.from_url(settings.REDIS_URL), endpoint_url)
    told.hold(1.0)
    started = time.monotonic()

    other_worker.wait_turn(0)

    assert time.monotonic() - started >= 0.9


def test_a_429_holds_every_client_of_the_endpoint(redis_client, loopback_llm):
    def client_of_a_worker():
        budget = EndpointBudget(redis.Redis.from_url(settings.REDIS_URL), loopback_llm.base_url)
        return LLMClient(loopback_llm.base_url, budget=budget, rate_limit_patience=30)

    told, other = client_of_a_worker(), client_of_a_worker()
    arrivals = []
    loopback_llm.on_request = lambda body: arrivals.append(time.monotonic())
    loopback_llm.configure(plan=["rate_limit"], retry_after=1)
    try:
        first = threading.Thread(target=translate, args=(told,))
        first.start()
        while not arrivals:
            time.sleep(0.01)
        _, record = translate(other)
        first.join(10)
    finally:
        redis_client.delete(EndpointBudget(redis_client, loopback_llm.base_url).key)

    # The other client was never answered 429, yet it waited out the hold with the first.
    assert (record.outcome, record.attempts) == ("ok", 1)
    assert len(arrivals) == 3
    assert min(arrivals[1:]) - arrivals[0] >= 0.9


def test_a_storm_of_429s_slows_a_call_instead_of_failing_it(loopback_llm):
    loopback_llm.configure(storm_seconds=1.5, retry_after=0.2)

    _, record = translate(LLMClient(loopback_llm.base_url, rate_limit_patience=30))

    assert record.outcome == "ok"
    assert record.attempts > 3
    assert "rate limited (HTTP 429)" in record.error


def test_a_storm_longer_than_the_patience_fails_with_advice(loopback_llm):
    loopback_llm.configure(storm_seconds=30, retry_after=0.3)

    with pytest.raises(Exception, match="WORKBENCH_MODEL_RPM") as failure:
        translate(LLMClient(loopback_llm.base_url, rate_limit_patience=1))

    assert failure.value.record.outcome == "rate_limited"


def test_without_redis_the_budget_lets_requests_go(endpoint_url):
    unreachable = redis.Redis(host="127.0.0.1", port=9, socket_connect_timeout=0.2)
    budget = EndpointBudget(unreachable, endpoint_url, requests_per_minute=1)

    budget.wait_turn(0)
    budget.wait_turn(0)
    budget.hold(5)
    budget.wait_turn(0)
