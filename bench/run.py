"""`make bench`: every benchmark in bench/, one after another; BENCH=name
(e.g. `make bench BENCH=province`, or BENCH=load,province) runs only those."""
import os
import runpy
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("page_sizes.py", "lighthouse.py", "load.py", "roster_import.py", "province.py", "evaluation.py")
CHOSEN = [name.strip().removesuffix(".py") + ".py" for name in os.environ.get("BENCH", "").split(",") if name.strip()]

for script in CHOSEN or SCRIPTS:
    if script not in SCRIPTS:
        raise SystemExit(f"no benchmark {script!r}; choose among {', '.join(SCRIPTS)}")
    print(f"== {script}")
    runpy.run_path(str(HERE / script), run_name="__main__")
