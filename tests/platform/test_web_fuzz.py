"""Fuzz every route of the app (app.url_map) with every form and query parameter: no 5xx.

The known-bad values go through every route and parameter; hypothesis draws from them and
beyond (tests/fuzz_support.py builds the app, its audiences and the parameter names).
"""

from __future__ import annotations

import pytest
from fuzz_support import (
    DESTRUCTIVE,
    FUZZ,
    SWEEP,
    clients_of,
    fuzz_world,
    nasty,
    quote_value,
    roles_past_checks,
    route_url,
    values,
)
from hypothesis import given
from hypothesis import strategies as st

from scan.platform.inputs import FREE_TEXT_PARAMETERS


@pytest.fixture
def world(database):
    yield from fuzz_world(database)


@pytest.mark.slow
def test_fuzz__every_route_and_parameter__never_5xx(world):
    app, rules, real, accounts_by_role, tokens, names = world
    clients = clients_of(app, accounts_by_role, tokens)
    names_or_any = st.sampled_from(names) | st.text(max_size=10)
    checked = 0
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            _sweep_route(clients, rule, method, real, names)
            _fuzz_route(clients, rule, method, real, names_or_any)
            checked += 1
    assert checked >= 25


def _sweep_route(clients, rule, method, real, names) -> None:
    """Send every known-bad value in each path variable, and in every parameter at once."""
    audience = roles_past_checks(clients, rule, method, real)
    fine = {a: real.get(a, ["x"])[-1] for a in rule.arguments}
    for value in SWEEP:
        attempts = [(dict(fine), {name: value for name in names})]
        if rule.endpoint not in DESTRUCTIVE:
            attempts += [({**fine, arg: value}, {}) for arg in rule.arguments]
            attempts += [({**fine, arg: fine[arg] + value}, {}) for arg in rule.arguments]
        for path_values, params in attempts:
            url = route_url(rule, {k: quote_value(v) for k, v in path_values.items()})
            client = clients[audience[0]]
            if method == "GET":
                response = client.get(url, query_string=params)
            else:
                response = client.open(url, method=method, data=params)
            assert response.status_code < 500, (method, url, value, audience[0])


def _fuzz_route(clients, rule, method, real, names_or_any) -> None:
    """Send one route fuzzed paths, query strings or forms from the roles that may use it."""
    audience = roles_past_checks(clients, rule, method, real)

    @FUZZ
    @given(data=st.data())
    def run(data):
        path_values = {}
        for arg in rule.arguments:
            choices = [] if rule.endpoint in DESTRUCTIVE else real.get(arg, [])
            real_ones = st.sampled_from(choices) if choices else values
            # A real value, a fuzzed one, or a real one with something nasty glued on.
            strategy = st.one_of(real_ones, values, st.builds(str.__add__, real_ones, nasty))
            path_values[arg] = data.draw(strategy, label=arg)
        params = data.draw(st.dictionaries(names_or_any, values, max_size=6))
        role = data.draw(st.sampled_from(audience), label="role")
        url = route_url(rule, {k: quote_value(v) for k, v in path_values.items()})
        if method == "GET":
            response = clients[role].get(url, query_string=params)
        else:
            response = clients[role].open(url, method=method, data=params)
        assert response.status_code < 500, (method, url, params, role)

    run()


def test_free_text_parameters__a_long_number_is_text__no_400(world):
    """A phone number or reference typed into a free-text parameter is never refused as big."""
    app, rules, real, accounts_by_role, tokens, names = world
    clients = clients_of(app, accounts_by_role, tokens)
    assert FREE_TEXT_PARAMETERS & set(names)
    for name in FREE_TEXT_PARAMETERS & set(names):
        response = clients[None].get("/", query_string={name: "+31698765432"})
        assert response.status_code != 400, name
