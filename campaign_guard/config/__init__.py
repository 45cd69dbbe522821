"""Configuration: the project file (``campaign-guard.yaml`` or ``[tool.campaign-guard]``
in ``pyproject.toml``), whose file campaign-guard trusts, and how it is edited.

Each tool's section is defined beside the code it configures (``jira.settings``,
``oncall.settings``); :mod:`.settings` puts them together with a stated precedence.
"""
