"""Protection generated from the estimate: edge rate limits, queue and worker sizing.

:mod:`~campaign_guard.protect.edge` sizes the rate limits of the endpoints campaigns
send people to; :mod:`~campaign_guard.protect.nginx` and
:mod:`~campaign_guard.protect.haproxy` write them as configuration. Pure: the caller
reads and writes the files.
"""
