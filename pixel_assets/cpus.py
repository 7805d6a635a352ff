"""How many CPUs this process may use, and thread pools sized to it.

The host's core count is the wrong figure in a container: a Kubernetes CPU limit or a Docker
``--cpus`` quota leaves every core visible, so a pool sized to ``os.cpu_count()`` on a 64-core
node with a 4-CPU limit runs 64 threads in a 4-CPU budget and the kernel throttles them all.
"""

from __future__ import annotations


def available_cpus() -> int:
    """CPUs this process may use: the smallest of its CPU affinity, a container's CPU quota
    (cgroup v1 or v2) and ``LOKY_MAX_CPU_COUNT`` when set (joblib's ``cpu_count``, which
    reads all three)."""
    from joblib import cpu_count

    return max(1, int(cpu_count()))


def cap_torch_threads() -> int:
    """Lower torch's CPU thread pool to :func:`available_cpus` (torch sizes it from the cores
    it sees, quota or not); never raises it. Returns torch's thread count after."""
    import torch

    limit = available_cpus()
    if torch.get_num_threads() > limit:
        torch.set_num_threads(limit)
    return torch.get_num_threads()
