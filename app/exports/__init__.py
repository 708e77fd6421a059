"""Exports for national systems (contract "Exports for national systems"): the
published aggregates as DHIS2 (IHE ADX and dataValueSets JSON) and SDMX-CSV, with
the same k and suppression as the aggregates API. Flask-free: used by the CLI, the
open-data page and the weekly open-data package."""
