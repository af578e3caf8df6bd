"""Distances between province centres (great circle), the one haversine of the project."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0


def distance_matrix_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle (haversine) distances between all province centres, in km."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi[:, None]) * np.cos(phi[None, :]) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
