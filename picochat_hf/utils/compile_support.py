"""Whether `torch.compile` can build CPU kernels on this machine.

Inductor, torch.compile's default backend, turns the graph into C++ kernels that it compiles with the
system's C++ compiler against the Python headers. Where either is missing, compiling fails at the first
forward pass, halfway into a training run; `inductor_cpu_unavailable` looks for both up front, without
compiling anything.
"""

from __future__ import annotations

import os
import sysconfig

__all__ = ["inductor_cpu_unavailable"]


def inductor_cpu_unavailable() -> str | None:
    """None when inductor can compile CPU kernels here, else the reason it cannot (one line)."""
    try:
        from torch._inductor.cpp_builder import get_cpp_compiler

        get_cpp_compiler()
    except Exception as exc:  # InvalidCxxCompiler, or an inductor that fails to import
        return f"torch.compile needs a C++ compiler for CPU kernels and none was found ({type(exc).__name__})"
    include = sysconfig.get_paths().get("include") or ""
    if not os.path.exists(os.path.join(include, "Python.h")):
        return f"torch.compile needs the Python headers (Python.h) and {include or 'the include folder'} has none"
    return None
