"""The review of one campaign: what a DevOps reviewer reads before deciding."""
