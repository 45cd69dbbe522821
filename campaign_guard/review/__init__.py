"""Reviewing campaigns: the screen a DevOps reviewer reads before deciding (pure), and
the use cases that read the queue and record decisions in Jira."""
