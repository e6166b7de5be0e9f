"""A Keras-style model summary of a recipe's graph: every variable, its shape, its parameters."""

from __future__ import annotations


import numpy as np

from tf_gan.graph import seeded_graph, tf1
from tf_gan.recipes.base import Recipe


def networks(theta_G: list, theta_D: list, moving: list) -> dict[str, list[tuple[str, tuple[int, ...], bool]]]:
    """{"Generator": [(name, shape, trainable), ...], "Discriminator": [...]} of one graph's variables.

    A non-trainable variable (a batch-norm moving statistic, from `moving`) belongs to the
    network whose trainable variables share its top-level scope.
    """
    tables = {}
    for title, theta in (("Generator", theta_G), ("Discriminator", theta_D)):
        scopes = {v.op.name.split("/")[0] for v in theta}
        rows = [(v.op.name, tuple(v.shape.as_list()), True) for v in theta]
        rows += [(v.op.name, tuple(v.shape.as_list()), False) for v in moving if v.op.name.split("/")[0] in scopes]
        tables[title] = rows
    return tables


def network_variables(recipe: Recipe, cfg: object) -> dict[str, list[tuple[str, tuple[int, ...], bool]]]:
    """`networks` of the recipe's graph, built on the spot."""
    with seeded_graph(0).as_default():
        gan = recipe.build(cfg)
        return networks(gan.theta_G, gan.theta_D, tf1.moving_average_variables())


def table(tables: dict[str, list[tuple[str, tuple[int, ...], bool]]]) -> str:
    """`networks` as Keras' ``model.summary()`` prints them: a row per variable, then the totals."""
    lines = []
    for title, rows in tables.items():
        width = max(len(name) for name, _, _ in rows) + 2
        lines += [title, f"  {'variable':<{width}}{'shape':<14}{'params':>12}", "  " + "-" * (width + 26)]
        counts = {True: 0, False: 0}
        for name, shape, trainable in rows:
            n = int(np.prod(shape))
            counts[trainable] += n
            lines.append(f"  {name:<{width}}{str(shape):<14}{n:>12,}" + ("" if trainable else "  (non-trainable)"))
        lines += [f"  Total params: {counts[True] + counts[False]:,}",
                  f"  Trainable params: {counts[True]:,}",
                  f"  Non-trainable params: {counts[False]:,}", ""]
    return "\n".join(lines)


def summary_text(recipe: Recipe, cfg: object) -> str:
    return table(network_variables(recipe, cfg))
