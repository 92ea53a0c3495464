import sys
from pathlib import Path

# Let tests import their helpers (tests/book.py) as `book`, and the exercises'
# reference solutions as `exercises.solutions`.
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
