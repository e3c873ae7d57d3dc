"""vner application shell: the command line and settings glue for rules/, engine/ and streams/."""

__version__ = "0.1.0"
