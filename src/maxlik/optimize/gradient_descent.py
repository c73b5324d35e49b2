"""Gradient descent (optax.sgd) with a backtracking Armijo line search whose step may grow
(×2 per iteration, up to 10⁸), as a :class:`~._loop.Solver`. Stops on the relative gradient;
the engine judges the end point by the Newton decrement (:mod:`._convergence`)."""

from __future__ import annotations

import optax

from .quasi_newton import optax_solver

solver = optax_solver(
    optax.chain(
        optax.sgd(1.0),
        optax.scale_by_backtracking_linesearch(max_backtracking_steps=60, increase_factor=2.0, max_learning_rate=1e8),
    )
)
