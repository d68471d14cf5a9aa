"""Argon2id key derivation with parameters that travel in the vault header."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from argon2.low_level import Type, hash_secret_raw

KEY_BYTES = 32
SALT_BYTES = 16


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters. Stored per key slot so they can be raised later."""

    time_cost: int
    memory_kib: int
    parallelism: int

    def to_dict(self) -> dict:
        """JSON-ready form, with the algorithm named."""
        return {"algorithm": "argon2id", **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict) -> KdfParams:
        """Read parameters back, refusing values no Carebook would write."""
        if data.get("algorithm") != "argon2id":
            raise ValueError("unknown key derivation algorithm")
        params = cls(int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"]))
        # Bounds keep a doctored header from making unlock take hours or all memory.
        if not (1 <= params.time_cost <= 64 and 8 <= params.memory_kib <= 4 * 1024 * 1024
                and 1 <= params.parallelism <= 16):
            raise ValueError("key derivation parameters out of range")
        return params


# 64 MiB, two lanes, 20 passes: a median of 0.47 s per derivation on the project's reference
# machine (2 cores, idle). bench/vault.py reports the unlock time these give.
DEFAULT_KDF = KdfParams(time_cost=20, memory_kib=64 * 1024, parallelism=2)


def derive_key(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Derive a 256-bit key-encryption key from a passphrase or recovery code."""
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
