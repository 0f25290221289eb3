"""Torch7's torch.Timer: wall-clock, user and system time since construction or reset."""
import time

try:
    import resource
except ImportError:  # not on Windows: os.times there
    resource = None

__all__ = ["Timer"]


class Timer:
    """A stopwatch; `time()` returns {'real', 'user', 'sys'} in seconds, as Torch7's does."""

    typename = "torch.Timer"
    # Timer.c: luaT_newmetatable without a factory (not writable by File.lua), a C object
    _t7_factory = False
    _t7_userdata = True

    def __init__(self):
        self._running = True
        self.reset()

    @staticmethod
    def _cpu():
        # Timer.c: getrusage(RUSAGE_SELF) for user and sys (microseconds; os.times ticks in
        # 10 ms steps), gettimeofday for real
        if resource is not None:
            r = resource.getrusage(resource.RUSAGE_SELF)
            return r.ru_utime, r.ru_stime
        import os
        t = os.times()
        return t.user, t.system

    @classmethod
    def _now(cls, end=False):
        # Timer.c reads the three clocks within a microsecond, so a single-threaded
        # process's user + sys never exceeds real; here a read costs tens of microseconds,
        # so the wall clock is read around the CPU clocks (first at a start, last at an
        # end) to keep that order: the Python between the reads is not counted as CPU
        # time that the wall clock did not see.
        if end:
            u, s = cls._cpu()
            return time.perf_counter(), u, s
        r = time.perf_counter()
        u, s = cls._cpu()
        return r, u, s

    def reset(self):
        """Zero the totals; a stopped timer stays stopped (Timer.c)."""
        self._start = self._now()
        self._accumulated = (0.0, 0.0, 0.0)
        return self

    def stop(self):
        if self._running:
            now = self._now(end=True)
            self._accumulated = tuple(a + n - s for a, n, s in
                                      zip(self._accumulated, now, self._start))
            self._running = False
        return self

    def resume(self):
        if not self._running:
            self._start = self._now()
            self._running = True
        return self

    def time(self):
        total = self._accumulated
        if self._running:
            now = self._now(end=True)
            total = tuple(a + n - s for a, n, s in zip(total, now, self._start))
        return {"real": total[0], "user": total[1], "sys": total[2]}

    def __repr__(self):  # Timer.c's __tostring__
        return "torch.Timer [status: %s]" % ("running" if self._running else "stopped")
