"""Compiled Jinja templates shared by every app of a test session (conftest's fixture).

Most tests make their own app, and each app's Jinja environment parses and compiles every
template it renders again: the largest part of a test's first request. Jinja's bytecode cache
is the documented way to reuse compiled templates; this one keeps them in memory for the
session. A template's entry is checked against its source (Jinja compares the checksum), and
the key includes the environment settings that change the compiled code, so an app that
configures Jinja differently compiles its own.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from jinja2.environment import Environment


def compile_settings(environment: Environment) -> tuple:
    """The settings of an environment that its compiled templates depend on."""
    autoescape = environment.autoescape
    return (
        tuple(sorted(environment.extensions)),
        getattr(autoescape, "__qualname__", autoescape),
        getattr(environment, "newstyle_gettext", None),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
    )


class SharedTemplateCode(BytecodeCache):
    """Compiled templates in memory, for every environment with the same settings."""

    def __init__(self) -> None:
        self.code: dict[tuple, bytes] = {}

    def _key(self, bucket: Bucket) -> tuple:
        return (compile_settings(bucket.environment), bucket.key)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(self._key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[self._key(bucket)] = bucket.bytecode_to_string()
