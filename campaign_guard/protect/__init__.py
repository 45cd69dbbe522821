"""Protection a campaign needs before it launches, written for real software.

:mod:`~campaign_guard.protect.edge` sizes the rate limits of the endpoints campaigns
send people to; :mod:`~campaign_guard.protect.nginx` and
:mod:`~campaign_guard.protect.haproxy` write them as configuration. Pure: the caller
reads and writes the files.
"""
