"""``python -m japan_us_summit`` and the ``japan-us-summit`` script: the command line of ``cli``.

Ctrl-C is caught before anything heavy is imported (``cli`` imports click and pyarrow, which take a while),
so that at any moment, the first second included, it is one line and exit status 130, never a traceback.
"""

import os
import signal


def _interrupted(signum: int, frame: object) -> None:
    os.write(2, b"interrupted\n")
    os._exit(130)


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted)  # cli.main() takes over once everything is imported
    from japan_us_summit.cli import main as run

    run()


if __name__ == "__main__":
    main()
