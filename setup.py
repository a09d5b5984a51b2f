"""Packaging only what pyproject.toml cannot say: the wheel carries the top-level ``configs/``.

The YAMLs a user of a clone reads and edits live in ``configs/`` at the top of the repository;
an installed package has no repository around it, so the wheel maps that folder to the package
``summarizer.configs`` (``summarizer/configs/*.yaml`` in site-packages), where
:func:`summarizer.config.shipped_config_dir` finds them. The package data is all here, the
learned concept weights' coefficients too: pyproject.toml's own table would replace this one.
Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["summarizer*"]), "summarizer.configs"],
    package_dir={"summarizer.configs": "configs"},
    package_data={
        "summarizer.configs": ["*.yaml"],
        "summarizer.fuse": ["concept_model.json"],  # the learned concept weights (scripts/train_concept_weights.py)
    },
)
