"""What the test suite and the benchmarks share: a fake Jira server on 127.0.0.1 that
behaves as Atlassian documents Jira, and the contract every request to it is checked
against (Atlassian's OpenAPI description).

Not part of the installed package: import it from the root of the repository, where
``pytest`` and ``python -m benchmarks.bench_submit`` run.
"""
