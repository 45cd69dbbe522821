"""Everything Jira: its settings (the ``jira:`` section), the ticket's text, the one
module that imports the ``jira`` client (:mod:`.gateway`), and filing a ticket once."""
