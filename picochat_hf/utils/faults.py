"""Injected crash points for the kill tests.

`fault_point("name")` does nothing unless the environment variable `PICOCHAT_FAULT` equals `name`; then
the process kills itself with SIGKILL on the spot, as a power cut or the OOM killer would. The tests use
it to prove that an interrupted write leaves either the old artifact or the new one, never a mix.
"""

from __future__ import annotations

import os
import signal

ENV = "PICOCHAT_FAULT"


def fault_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
