"""Open311 GeoReport v2, a read-and-report subset, JSON only (contract "Open311")."""
