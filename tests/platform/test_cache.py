"""The bounded cache helper: LRU eviction, one value per key under threads, unique names."""

from __future__ import annotations

import threading

import pytest

from scan.platform.cache import caches, lru


def test_lru__evicts_the_least_recently_used_entry():
    cache = lru("test-evict", 2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recently used
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2 and caches()["test-evict"] is cache


def test_get_or_make__threads_share_one_value_per_key():
    cache = lru("test-threads", 8)
    made = []
    barrier = threading.Barrier(8)

    def make():
        value = object()
        made.append(value)
        return value

    got = []

    def run():
        barrier.wait()
        got.append(cache.get_or_make("key", make))

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 8 and all(v is got[0] for v in got) and got[0] in made


def test_lru__a_name_is_taken_once():
    lru("test-name", 1)
    with pytest.raises(ValueError):
        lru("test-name", 1)
