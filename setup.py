"""The optional compiled part of the package; everything else is in pyproject.toml.

``tete.conversation._speedups`` makes reading and measuring a transcript several times
faster. It is optional: where it cannot be compiled (no C compiler), the install goes on
and the same results come from pure Python (see src/tete/conversation/native.py).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "tete.conversation._speedups",
            [
                "src/tete/conversation/_speedups.c",
                "src/tete/conversation/_cues.c",
                "src/tete/conversation/_json.c",
            ],
            depends=["src/tete/conversation/_speedups.h"],
            optional=True,
        )
    ]
)
