"""Random numbers inside compiled kernels.

Two generators, both seeded from ``numpy.random.SeedSequence`` so one seed fixes a run:

* a sequential stream (xoshiro256**) for the ``sequential`` scheme, where agents act one at a
  time and the order of draws is part of the model;
* a counter-based hash (SplitMix64 finaliser of a key) for the ``synchronous`` scheme, where each
  draw depends only on (seed, tick, agent, purpose). That is what makes a parallel run give the
  same result on any number of threads. An agent that needs an unknown number of draws in one
  tick (the moves' rejection draws) continues from its hash as a SplitMix64 stream.
"""

from __future__ import annotations

import numpy as np
from numba import njit, uint64

_TWO_POW_MINUS_53 = 1.0 / 9007199254740992.0
_GOLDEN = uint64(0x9E3779B97F4A7C15)  # SplitMix64's increment, 2**64 / golden ratio


def stream_state(seed_sequence: np.random.SeedSequence) -> np.ndarray:
    """Four 64-bit words of xoshiro256** state drawn from a seed sequence."""
    state = seed_sequence.generate_state(4, np.uint64)
    if not state.any():  # the all-zero state is the one xoshiro cannot leave
        state[0] = 1
    return state


def hash_key(seed_sequence: np.random.SeedSequence) -> np.uint64:
    """One 64-bit key for the counter-based generator."""
    return seed_sequence.generate_state(1, np.uint64)[0]


@njit(_nrt=False)
def _rotl(x, k):
    return (x << uint64(k)) | (x >> uint64(64 - k))


@njit(_nrt=False)
def next_u64(state):
    """Advance xoshiro256** and return 64 random bits."""
    result = _rotl(state[1] * uint64(5), 7) * uint64(9)
    t = state[1] << uint64(17)
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = _rotl(state[3], 45)
    return result


@njit(_nrt=False)
def uniform(state):
    """A double in [0, 1) with 53 random bits."""
    return float(next_u64(state) >> uint64(11)) * _TWO_POW_MINUS_53


@njit(_nrt=False)
def randint(state, n):
    """An integer in [0, n) (n >= 1)."""
    return int(uniform(state) * n)


@njit(_nrt=False)
def _mix(z):
    z = (z ^ (z >> uint64(30))) * uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> uint64(27))) * uint64(0x94D049BB133111EB)
    return z ^ (z >> uint64(31))


@njit(_nrt=False)
def hash_u64(key, tick, agent, purpose):
    """64 random bits that depend only on the four inputs (counter-based)."""
    z = key + uint64(tick) * _GOLDEN
    z = _mix(z ^ (uint64(agent) * uint64(0xD1B54A32D192ED03)))
    return _mix(z + uint64(purpose) * uint64(0x8CB92BA72F3D8DD7))


@njit(_nrt=False)
def split_mix(seed, i):
    """SplitMix64's ``i``-th output from ``seed``: 64 random bits per counter with one mixing
    round, half the work of :func:`hash_u64` when ``seed`` is hashed once for many counters."""
    return _mix(seed + uint64(i) * _GOLDEN)


@njit(_nrt=False)
def split_mix_next(state):
    """SplitMix64 as a stream: the next state and its 64 random bits (all of them good)."""
    state = state + _GOLDEN
    return state, _mix(state)


@njit(_nrt=False)
def hash_uniform(key, tick, agent, purpose):
    """A double in [0, 1) that depends only on the four inputs."""
    return float(hash_u64(key, tick, agent, purpose) >> uint64(11)) * _TWO_POW_MINUS_53
