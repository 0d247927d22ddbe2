import sys

from bot.cli.main import main

if __name__ == "__main__":  # not when a child process (multiprocessing's spawn) imports it
    sys.exit(main())
