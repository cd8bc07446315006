"""The one way to cache in this process: a named, bounded, thread-safe LRU map (cachetools).

Every cache is created here with a name and a size, evicts the least recently used entry when
full, and lives per worker process. Only cache what is derived from immutable input (a content
fingerprint, a final result): nothing here is ever invalidated, only evicted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")

_registry: dict[str, BoundedCache] = {}


class BoundedCache(Generic[V]):
    """A bounded LRU map from key to value that is safe to share between threads."""

    def __init__(self, name: str, size: int) -> None:
        self.name = name
        self._data: LRUCache = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """Return the most entries this cache holds."""
        return int(self._data.maxsize)

    def get(self, key: Hashable) -> V | None:
        """Return the value of a key, or None."""
        with self._lock:
            return self._data.get(key)

    def put(self, key: Hashable, value: V) -> V:
        """Store a value and return it."""
        with self._lock:
            self._data[key] = value
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """Return the value of a key, making and storing it first when missing.

        `make` runs outside the lock, so two threads may both make a missing value; the first
        stored wins and both get it, which keeps one shared object per key. Values are never
        None (None means "missing").
        """
        with self._lock:
            found = self._data.get(key)
        if found is not None:
            return found
        value = make()
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                return found
            self._data[key] = value
        return value

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


def lru(name: str, size: int) -> BoundedCache:
    """Return a new named LRU cache of at most `size` entries (one per name and process)."""
    if name in _registry:
        raise ValueError(f"a cache named {name!r} exists already")
    cache: BoundedCache = BoundedCache(name, size)
    _registry[name] = cache
    return cache


def caches() -> dict[str, BoundedCache]:
    """Return every cache by name (for benchmarks and tests)."""
    return dict(_registry)
