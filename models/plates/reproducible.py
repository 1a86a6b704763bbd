"""Pins the CPU code paths of NumPy, OpenCV, PyTorch, oneDNN and MKL to AVX2, so that a seeded
step of the recipe writes the same bytes on any x86-64 CPU with AVX2 and FMA (Intel since Haswell,
AMD since Zen).

Left alone, each library picks its kernels by the CPU it finds: AVX-512 where there is one, and
MKL by the CPU's vendor too, so the same run on another CPU rounds differently and, after
thousands of steps, gives another model (README, "Reproducing it"). Vector width alone changes
nothing for exact operations, but the kernels chosen differ in summation order and in their
approximations of exp, log and sqrt.

Import it before numpy, cv2 or torch: the libraries read these variables when they load. It
overrides values already set, since any other value would give other bytes.
"""

import os

PINNED = {
    # NumPy chooses its float kernels (exp, log, sin ...) by CPU, and its AVX-512 ones need not round as
    # its AVX2 ones do.
    "NPY_DISABLE_CPU_FEATURES": "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL",
    "ATEN_CPU_CAPABILITY": "avx2",  # PyTorch's own kernels
    "ONEDNN_MAX_CPU_ISA": "AVX2",  # convolutions: the JIT kernels' blocking and order differ by ISA
    "MKL_CBWR": "COMPATIBLE",  # MKL's code path otherwise depends on the CPU's vendor
}


def _has_avx512() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512f" in f.read()
    except OSError:
        return False


_BEFORE = {name: os.environ.get(name) for name in [*PINNED, "OPENCV_CPU_DISABLE"]}
os.environ.update(PINNED)
if _has_avx512():  # OpenCV warns when told to disable what the CPU lacks
    os.environ["OPENCV_CPU_DISABLE"] = "AVX512-SKX"  # its one AVX-512 dispatch target


def unpinned_environment() -> dict[str, str]:
    """The environment as it was before these pins, for other programs (Debian's OpenCV run as a check)."""
    environment = {name: value for name, value in os.environ.items() if name not in _BEFORE}
    environment.update({name: value for name, value in _BEFORE.items() if value is not None})
    return environment


def check(torch) -> None:
    """Warns when PyTorch could not take the AVX2 kernels (a CPU without AVX2): the run then gives
    other bytes than the same run on a CPU with it."""
    capability = torch.backends.cpu.get_cpu_capability()
    if capability != "AVX2":
        print(f"warning: PyTorch runs its {capability} kernels, not AVX2: this run's bytes will differ from "
              "the same run on a CPU with AVX2", flush=True)
