"""The demo data files in demo/data/, read as plain Python values.

The files live inside the demo package, so they are found beside this module wherever the
package is installed or copied (the Docker image copies the whole tree).
"""

from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_data(name):
    """The content of demo/data/<name>.yaml: mappings, lists, strings, numbers and dates."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)
