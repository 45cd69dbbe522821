"""``python -m campaign_guard``."""

from campaign_guard.cli import main

if __name__ == "__main__":
    main()
