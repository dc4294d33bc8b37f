"""The MinHash permutations are datasketch's, drawn without importing datasketch (and SciPy)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newsevents.dedup.near_duplicates import (
    NUM_PERM,
    SEED,
    _permutations,
    minhash,
    minhash_values,
    shingles,
)

TEXTS = [
    "The harbour workers walked out on Monday, leaving container ships waiting off the coast.",
    "short",
    "Flood waters rose again in the river valley as rescue teams reached the last villages.",
]


def test_permutations_equal_datasketch() -> None:
    datasketch = pytest.importorskip("datasketch")
    theirs = datasketch.MinHash(num_perm=NUM_PERM, seed=SEED).permutations
    ours = _permutations()
    assert ours.dtype == np.uint64 and ours.shape == (2, NUM_PERM)
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("text", TEXTS)
def test_minhash_values_equal_datasketch(text: str) -> None:
    pytest.importorskip("datasketch")
    own = shingles(text)
    assert np.array_equal(minhash_values(own), minhash(own).hashvalues)


def test_bands_need_no_datasketch() -> None:
    code = (
        "import sys\n"
        "from newsevents.dedup.near_duplicates import band_buckets, shingles\n"
        f"assert len(band_buckets(shingles({TEXTS[0]!r}))) == 20\n"
        "assert 'datasketch' not in sys.modules and 'scipy' not in sys.modules, 'imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
