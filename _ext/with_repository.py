"""Write a copy of _config.yml with the public repository's URL and launch buttons.

Usage: python _ext/with_repository.py URL OUT.yml  (OUT beside _config.yml: paths in it are
relative to the config file)

Colab and Binder open a notebook from its public repository, so their
buttons can only exist once the site knows that repository. `make book
REPOSITORY_URL=...` builds with the file this writes: a repository button
on every page, and Colab and Binder launch buttons on every notebook page.
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def with_repository(config: dict, url: str) -> dict:
    config = dict(config)
    config["repository"] = {"url": url, "branch": "main"}
    config["launch_buttons"] = {"notebook_interface": "jupyterlab",
                                "binderhub_url": "https://mybinder.org",
                                "colab_url": "https://colab.research.google.com"}
    config["html"] = {**config.get("html", {}), "use_repository_button": True}
    return config


if __name__ == "__main__":
    url, out = sys.argv[1], Path(sys.argv[2])
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(with_repository(config, url), allow_unicode=True,
                                  sort_keys=False), encoding="utf-8")
