"""The recipes: one module per tutorial post, each with a Config, build() and train_step()."""

from __future__ import annotations

from tf_gan.errors import TfGanError
from tf_gan.recipes.base import Recipe
from tf_gan.recipes import cgan, gfg, golbin, keras_gan, paper, wiseodd

# Each module is a Recipe (tf_gan/recipes/base.py): a type checker reads a module as that Protocol.
RECIPES: dict[str, Recipe] = {"wiseodd": wiseodd, "keras_gan": keras_gan, "gfg": gfg, "golbin": golbin,
                              "cgan": cgan, "paper": paper}


def get(name: str) -> Recipe:
    """The recipe module called `name`, or a one-line error listing the known ones."""
    try:
        return RECIPES[name]
    except KeyError:
        raise TfGanError(f"unknown recipe {name!r}: choose one of {', '.join(RECIPES)}") from None


def is_conditional(recipe: Recipe) -> bool:
    """Does the recipe's generator take the digit to draw (a conditional GAN, such as cgan)?"""
    return recipe.CONDITIONAL
