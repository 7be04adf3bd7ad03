"""Ships the top-level ``layouts/`` and ``fonts/`` inside the wheel as ``publisher/_data/``.

They stay at the top of the repository, where they are edited and where a
checkout finds them; ``publisher.resources`` finds either place.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("layouts", "fonts")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the top-level folders themselves
        for name in DATA_FOLDERS:
            self.copy_tree(name, str(Path(self.build_lib) / "publisher" / "_data" / name))


setup(cmdclass={"build_py": BuildPyWithData})
