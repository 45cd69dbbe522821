"""The Jira side of campaign-guard: ticket text, JQL quoting and markup escaping."""
