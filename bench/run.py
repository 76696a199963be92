"""`make bench`: every benchmark in bench/, one after another."""
import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("page_sizes.py", "lighthouse.py", "load.py", "roster_import.py"):
    print(f"== {script}")
    runpy.run_path(str(HERE / script), run_name="__main__")
