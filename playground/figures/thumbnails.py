"""Neuron thumbnails: each neuron's output over the input square, drawn small in the diagram.

Thumbnails travel as int8 codes: each thumbnail scaled by its own max |value| to codes in
[-127, 127] (orange negative, white 0, blue positive; figures.network.thumbnail_lut maps them to
colours), non-finite pixels as MISSING (transparent), subsampled so a cell stays at least
MIN_CELL_PX tall.
"""

import numpy as np

THUMB = 100.0  # a thumbnail's side, in diagram units
MIN_CELL_PX = 2.5  # thumbnails are subsampled so that a cell stays at least this tall
MISSING = -128  # int8 code of a non-finite thumbnail pixel: drawn transparent


def subsample(images: np.ndarray, cells: int) -> np.ndarray:
    """Nearest-neighbour subsample (units, r, r) thumbnails to (units, c, c), c = min(r, cells)."""
    r = images.shape[1]
    if r <= cells:
        return images
    index = ((np.arange(cells) + 0.5) * r / cells).astype(int)
    return images[:, index][:, :, index]


def thumbnail_codes(images: np.ndarray) -> np.ndarray:
    """Scale (units, r, r) values to int8 codes in [-127, 127] by each unit's max |value|.

    Non-finite values become ``MISSING``; an all-zero thumbnail stays 0 (white).
    """
    finite = np.isfinite(images)
    values = np.where(finite, images, 0.0)
    scale = np.abs(values).max(axis=(1, 2), keepdims=True)
    codes = np.rint(values / np.where(scale > 0, scale, 1.0) * 127)
    return np.where(finite, codes, MISSING).astype(np.int8)
