"""Hostile input to every importer: it imports, or refuses with a clear error; never a
traceback or a hang. (bench/fuzz.py runs 10,000 per importer.)"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.safety.fuzz_targets import TARGETS, ZIPPED, mutate, mutate_zip, run_target, seed_for

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("name", sorted(TARGETS))
@FAST
@given(data=st.binary(max_size=400))
def test_random_bytes(name, data):
    assert run_target(name, data) in ("ok", "refused")


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_valid_files(name):
    rng = random.Random(name)
    seed = seed_for(name)
    assert run_target(name, seed) == "ok"
    outcomes = {run_target(name, (mutate_zip if name in ZIPPED else mutate)(seed, rng))
                for _ in range(150)}
    assert outcomes <= {"ok", "refused"}
