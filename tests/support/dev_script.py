"""scripts/dev.py as a module, so tests drive the very code `make run` and `make test` use."""

import importlib.util
from types import ModuleType

from tests.conftest import ROOT


def dev_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
