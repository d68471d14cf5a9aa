"""KdfParams.from_dict: a doctored header cannot make unlocking take hours or all memory."""

from __future__ import annotations

import pytest

from carebook.vault.kdf import DEFAULT_KDF, KdfParams, derive_key


def _params(**changes):
    data = {"algorithm": "argon2id", "time_cost": 3, "memory_kib": 65536, "parallelism": 2}
    data.update(changes)
    return data


def test_round_trip_through_dict():
    """to_dict names the algorithm and from_dict reads the same parameters back."""
    data = DEFAULT_KDF.to_dict()
    assert data["algorithm"] == "argon2id"
    assert KdfParams.from_dict(data) == DEFAULT_KDF


@pytest.mark.parametrize(
    "changes",
    [{"time_cost": 1}, {"time_cost": 64}, {"memory_kib": 8}, {"memory_kib": 4 * 1024 * 1024},
     {"parallelism": 1}, {"parallelism": 16}],
)
def test_accepts_the_limits_themselves(changes):
    """The bounds are inclusive."""
    params = KdfParams.from_dict(_params(**changes))
    for name, value in changes.items():
        assert getattr(params, name) == value


@pytest.mark.parametrize(
    "changes",
    [{"time_cost": 0}, {"time_cost": 65}, {"time_cost": 10**9}, {"memory_kib": 7},
     {"memory_kib": 4 * 1024 * 1024 + 1}, {"memory_kib": 2**40}, {"parallelism": 0},
     {"parallelism": 17}, {"time_cost": -3}],
)
def test_refuses_absurd_costs(changes):
    """Values no Carebook would write are refused."""
    with pytest.raises(ValueError, match="out of range"):
        KdfParams.from_dict(_params(**changes))


@pytest.mark.parametrize("algorithm", ["argon2i", "argon2d", "pbkdf2", "", None])
def test_refuses_other_algorithms(algorithm):
    """Only Argon2id is accepted."""
    with pytest.raises(ValueError, match="algorithm"):
        KdfParams.from_dict(_params(algorithm=algorithm))


def test_refuses_missing_algorithm():
    """A parameter set that does not name its algorithm is refused."""
    data = _params()
    del data["algorithm"]
    with pytest.raises(ValueError):
        KdfParams.from_dict(data)


@pytest.mark.parametrize("changes", [{"time_cost": "three"}, {"memory_kib": None}])
def test_refuses_non_numbers(changes):
    """Non-numeric parameters raise an error the header parser turns into 'damaged'."""
    with pytest.raises((ValueError, TypeError)):
        KdfParams.from_dict(_params(**changes))


def test_derive_key_depends_on_secret_salt_and_params():
    """Same inputs give the same 32-byte key; changing any one changes the key."""
    cheap = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
    salt = bytes(range(16))
    key = derive_key(b"secret", salt, cheap)
    assert len(key) == 32
    assert derive_key(b"secret", salt, cheap) == key
    assert derive_key(b"Secret", salt, cheap) != key
    assert derive_key(b"secret", bytes(16), cheap) != key
    assert derive_key(b"secret", salt, KdfParams(time_cost=2, memory_kib=8, parallelism=1)) != key
