"""The queue model against hand computations, textbook values and a simulation.

* Fluid model: a rate step worked out by hand.
* Erlang C: the closed forms for one and two workers (Kleinrock, Queueing Systems vol. 1,
  1975, §3.4-3.5: M/M/1 waits with probability rho; M/M/2 with 2 rho² / (1 + rho)), and Erlang B
  table values (any Erlang B table, e.g. Iversen, "Teletraffic Engineering and Network
  Planning", DTU/ITU-D, table of the Erlang B formula: B(5 E, 5) = 0.2849,
  B(10 E, 10) = 0.2146, B(20 E, 20) = 0.1589), tied to C by C = cB / (c − a(1 − B)).
* A discrete-event simulation with ``ciw`` (M/M/c, FIFO) cross-checks the mean wait and
  the 99th-percentile wait within a stated tolerance.
"""

from __future__ import annotations

import math
import statistics

import ciw
import pytest

from campaign_guard.loadmodel.queueing import (
    backlog_delay,
    drain,
    emptied_at,
    erlang_c,
    keep_up_workers,
    mean_wait,
    wait_quantile,
)

TINY = 1e-9
STEP_TIMES = [0.0, TINY, 300.0, 300.0 + TINY, 2000.0]
STEP_RATES = [0.0, 50.0, 50.0, 0.0, 0.0]
"""50 messages/s for 5 minutes, nothing before or after."""


def test_a_rate_step_over_capacity_builds_the_backlog_worked_out_by_hand() -> None:
    # 50/s for 300 s against 20/s: (50 − 20) × 300 = 9,000 messages waiting at 300 s;
    # the last of them leaves 9,000 / 20 = 450 s later, so the queue is empty at 750 s.
    drained = drain(STEP_TIMES, STEP_RATES, 20.0)
    assert max(drained.backlog) == pytest.approx(9000, rel=1e-9)
    assert backlog_delay(max(drained.backlog), 20.0) == pytest.approx(450, rel=1e-9)
    assert emptied_at(STEP_TIMES, STEP_RATES, drained.backlog, 20.0, 2) == pytest.approx(750)
    assert drained.outflow[2] == 20.0  # drains at full speed while there is a backlog


def test_a_backlog_left_over_drains_at_the_spare_rate() -> None:
    # 1,000 waiting, 10/s arriving, 20/s drained: 1,000 / (20 − 10) = 100 s to empty.
    times, rates = [0.0, 100.0, 200.0], [10.0, 10.0, 10.0]
    drained = drain(times, rates, 20.0, start=1000.0)
    assert drained.backlog == [1000.0, 0.0, 0.0]
    assert emptied_at(times, rates, drained.backlog, 20.0, 0) == pytest.approx(100.0)


def test_a_backlog_that_never_clears_has_no_end() -> None:
    drained = drain([0.0, 60.0], [30.0, 30.0], 20.0)
    assert drained.backlog == [0.0, 600.0]
    assert emptied_at([0.0, 60.0], [30.0, 30.0], drained.backlog, 20.0, 1) is None
    assert backlog_delay(600.0, 0.0) == math.inf


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_erlang_c_matches_the_closed_forms_for_one_and_two_workers(rho: float) -> None:
    assert erlang_c(1, rho) == pytest.approx(rho)
    assert erlang_c(2, 2 * rho) == pytest.approx(2 * rho**2 / (1 + rho))


@pytest.mark.parametrize(
    ("workers", "offered", "blocking"),
    [(5, 5.0, 0.2849), (10, 10.0, 0.2146), (20, 20.0, 0.1589)],
)
def test_erlang_c_agrees_with_the_erlang_b_table(
    workers: int, offered: float, blocking: float
) -> None:
    # One more worker than the table's row: C(c+1, a) from B(c, a) by the recursion
    # B(c+1) = aB / (c + 1 + aB), then C = cB / (c − a(1 − B)).
    more = workers + 1
    b_next = offered * blocking / (more + offered * blocking)
    expected = more * b_next / (more - offered * (1 - b_next))
    assert erlang_c(more, offered) == pytest.approx(expected, abs=2e-4)


def test_erlang_c_is_one_when_the_workers_cannot_keep_up_and_zero_without_arrivals() -> None:
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 0.0) == 0.0
    assert mean_wait(60.0, 3, 20.0) == math.inf
    assert wait_quantile(60.0, 3, 20.0) == math.inf


def test_erlang_c_stays_finite_for_thousands_of_workers() -> None:
    assert 0 < erlang_c(5000, 4900.0) < 1


def test_keep_up_workers_ignores_float_noise_and_never_divides_by_zero() -> None:
    assert keep_up_workers(0.1 * 3, 0.1) == 3
    assert keep_up_workers(0.0, 5.0) == 0
    assert keep_up_workers(1.0, 0.0) == 10**18


def test_the_wait_quantile_inverts_the_waiting_time_distribution() -> None:
    # P(wait > t) = C·e^{−(cμ−λ)t}: at the 99th percentile it is 1 %.
    rate, workers, per_worker = 15.0, 4, 5.0
    t = wait_quantile(rate, workers, per_worker)
    waits = erlang_c(workers, rate / per_worker)
    assert waits * math.exp(-(workers * per_worker - rate) * t) == pytest.approx(0.01)


MESSAGES = 60_000


def _simulated_waits(rate: float, workers: int, per_worker: float, seed: int) -> list[float]:
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate)],
        service_distributions=[ciw.dists.Exponential(per_worker)],
        number_of_servers=[workers],
    )
    simulation = ciw.Simulation(network)
    warm_up = 200.0 / rate * workers
    horizon = warm_up + MESSAGES / rate
    simulation.simulate_until_max_time(horizon)
    return [
        r.waiting_time
        for r in simulation.get_all_records()
        if warm_up < r.arrival_date < horizon - warm_up
    ]


@pytest.mark.parametrize(("rate", "workers", "per_worker"), [(3.2, 4, 1.0), (16.0, 20, 1.0)])
def test_a_discrete_event_simulation_agrees_with_erlang_c(
    rate: float, workers: int, per_worker: float
) -> None:
    # About 60,000 simulated messages at 80 % utilisation, after a warm-up. Tolerance:
    # the mean wait and the 99th percentile within 10 %, the share that waits within
    # 0.03: several standard errors of a run this long (seed fixed: reproducible).
    waits = _simulated_waits(rate, workers, per_worker, seed=7)
    assert len(waits) > 50_000
    assert statistics.fmean(waits) == pytest.approx(mean_wait(rate, workers, per_worker), rel=0.1)
    p99 = statistics.quantiles(waits, n=100)[98]
    assert p99 == pytest.approx(wait_quantile(rate, workers, per_worker), rel=0.1)
    share = sum(w > 0 for w in waits) / len(waits)
    assert share == pytest.approx(erlang_c(workers, rate / per_worker), abs=0.03)
