"""Command-line helpers shared by anchors.py and compare.py (no third-party imports, so compare.py's
--self-test and --report-only run on a bare python3)."""
import argparse


def int_list(text):
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values or min(values) <= 0:
        raise argparse.ArgumentTypeError("need at least one positive integer")
    return values
