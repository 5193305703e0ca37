"""Whether bf16 autocast pays off on this CPU.

CPUs with native bf16 dot products (AVX512-BF16, AMX) run bf16 matmuls several times faster than fp32;
on others bf16 is emulated and slower. `cpu_bf16_is_faster` times the same small matmul, shaped like a
tiny model's projections, in both dtypes and answers from the measurement, not from CPU flags.
"""

from __future__ import annotations

import time

import torch

__all__ = ["cpu_bf16_is_faster", "matmul_seconds"]


def matmul_seconds(dtype: torch.dtype, rows: int = 2048, dim: int = 128, out: int = 512, repeats: int = 20) -> float:
    """Best-of-three mean seconds of `(rows x dim) @ (dim x out)` in `dtype` on the CPU."""
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(rows, dim, generator=gen).to(dtype)
    b = torch.randn(dim, out, generator=gen).to(dtype)
    a @ b  # warm-up (kernel selection)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeats):
            a @ b
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def cpu_bf16_is_faster(margin: float = 1.2) -> bool:
    """True when bf16 matmuls run at least `margin` times faster than fp32 ones on this CPU."""
    return matmul_seconds(torch.float32) >= margin * matmul_seconds(torch.bfloat16)
