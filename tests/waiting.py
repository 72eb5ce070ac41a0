"""wait_until: wait for a condition with a deadline, instead of sleeping a guessed time and
then asserting (too short on a busy machine, too long everywhere else)."""

import time


def wait_until(condition, *, timeout=30.0, interval=0.1, what=None):
    """Call `condition` every `interval` seconds until it returns a true value, and return
    that value; fail saying `what` was awaited if it is still false after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            awaited = what or getattr(condition, "__name__", "the condition")
            raise AssertionError(f"Still waiting for {awaited} after {timeout:g} s")
        time.sleep(interval)
