"""The load estimator: from what marketing knows to what DevOps needs.

``flows`` holds the shared vocabulary (curves, flows, scenarios); ``channels`` turns a
campaign spec into traffic flows; ``engine`` maps flows onto a capacity profile and
finds peaks and verdicts. Everything here is pure: no printing, no files, no clock.
"""
