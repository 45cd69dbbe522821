"""The words options take, kept apart so that naming them imports nothing else."""

FAIL_ON = ("never", "scale", "overload")
"""What ``--fail-on`` takes: the expected verdict at or above which an estimate fails."""

SCHEMA_KINDS = ("campaign", "capacity")
"""The JSON Schemas there are: the campaign spec's, and the capacity profile's."""
STATUS_REQUIRE = ("approved",)
"""What ``status --require`` takes."""
