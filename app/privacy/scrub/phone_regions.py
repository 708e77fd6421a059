"""Which countries' phone-number formats the scrubber tries, and how long their numbers are.

``OTHER_REGIONS`` are tried after the node's own country; ``normalize_country`` turns
the node's country setting into a region code ``phonenumbers`` knows (or None);
``REGION_LENGTHS`` holds, per region, the plausible digit counts of a nationally written
number, loaded once at import. Used by app.privacy.scrub.phones.
"""

from __future__ import annotations

import phonenumbers

# Tried after the node's own country. Phone numbers in international format ("+...")
# do not depend on the region; these matter for national formats.
OTHER_REGIONS = (
    # East Africa and the Horn
    "KE", "UG", "TZ", "RW", "BI", "ET", "SO", "SS", "SD", "ER", "DJ",
    # Central and Southern Africa
    "CD", "CM", "MW", "ZM", "ZW", "MZ", "ZA",
    # West Africa
    "NG", "GH", "SN", "CI", "ML", "BF", "NE", "GN", "SL", "LR", "TD",
    # North Africa
    "EG", "MA", "DZ", "TN", "LY", "MR",
    # Middle East
    "SA", "AE", "JO", "LB", "SY", "IQ", "YE", "PS", "TR", "IR",
    # South Asia
    "IN", "PK", "BD", "NP", "LK", "AF",
    # East and South-East Asia
    "CN", "ID", "PH", "TH", "MM",
    # Latin America and the Caribbean
    "BR", "MX", "CO", "PE", "AR", "CL", "VE", "EC", "BO", "GT", "HT",
    # Europe
    "GB", "FR", "DE", "ES", "IT", "PT", "NL", "BE",
    # North America
    "US",
)

_REGION_ALIASES = {"UK": "GB", "EL": "GR"}

# Per region: the lowest and highest digit count a nationally written number can have
# (national significant number lengths, plus room for a national/carrier prefix).
REGION_LENGTHS: dict[str, tuple[int, int]] = {}


def _region_lengths(region: str) -> tuple[int, int] | None:
    if region in REGION_LENGTHS:
        return REGION_LENGTHS[region]
    try:
        md = phonenumbers.PhoneMetadata.metadata_for_region(region)
        desc = md.general_desc
        lengths = [n for n in (desc.possible_length or ()) if n > 0]
        lengths += [n for n in (desc.possible_length_local_only or ()) if n > 0]
        result = (min(lengths), max(lengths) + 4) if lengths else (1, 20)
    except Exception:  # pragma: no cover - unknown or broken metadata
        result = None
    if result is not None:
        REGION_LENGTHS[region] = result
    return result


for _r in OTHER_REGIONS:  # load metadata once, at import
    _region_lengths(_r)
del _r


def normalize_country(country: object) -> str | None:
    if not isinstance(country, str):
        return None
    code = country.strip().upper()
    code = _REGION_ALIASES.get(code, code)
    if code in phonenumbers.SUPPORTED_REGIONS and _region_lengths(code) is not None:
        return code
    return None
