"""`python -m kit`: the same command as `kit`, installed or from a source checkout."""

from __future__ import annotations


def _main():
    try:
        from .cli import main  # installed: the wheel puts cli.py inside the package
    except ModuleNotFoundError:
        import importlib.util

        from .resources import cli_path

        spec = importlib.util.spec_from_file_location("kit_cli", cli_path())
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        main = module.main
    main()


if __name__ == "__main__":
    _main()
