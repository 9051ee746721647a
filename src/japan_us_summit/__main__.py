"""``python -m japan_us_summit``: the same command line as the ``japan-us-summit`` script (see ``cli``)."""

from japan_us_summit.cli import main

if __name__ == "__main__":
    main()
