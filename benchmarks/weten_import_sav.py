"""Benchmark: importing a 540,000-row SPSS .sav file into a wave (target: <= 60 s, with a progress bar).

Run: .venv/bin/python benchmarks/weten_import_sav.py [--rows 540000] [--database-url URL]

Makes synthetic Hilversum microdata (samen.weten.synthetic) with the DJG items coded 1/2/3 and value
labels, as SPSS files from survey bureaus usually are, writes the .sav with pyreadstat, and imports it
through the same service the screen and `samen import_survey` use, into a fresh database (SQLite in
a temporary folder unless --database-url is given). In the same run it measures the floor: reading the
file alone with pyreadstat. Prints a Markdown table row for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=540_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="samen-bench-")
    os.environ["SAMEN_DATA_DIR"] = data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samen.conf.settings")
    subprocess.run([sys.executable, "-m", "samen", "migrate", "-v0"], check=True, env=os.environ)
    import django

    django.setup()
    import pyreadstat
    from tqdm import tqdm

    from samen.core.models import Buurt, Gemeente
    from samen.core.services.demo import load_demo
    from samen.weten import synthetic
    from samen.weten.models import Respondent, Wave
    from samen.weten.services.survey_import import SurveyMapping, import_survey

    load_demo()
    gemeente = Gemeente.objects.get(code="GM0402")
    buurten: dict[str, list[str]] = {}
    for code, wijk in Buurt.objects.filter(wijk__gemeente=gemeente).values_list("code", "wijk__code"):
        buurten.setdefault(wijk, []).append(code)
    started = time.perf_counter()
    frame = synthetic.generate_wave(2022, buurten, n=args.rows)
    codes = {"ja": 1, "min of meer": 2, "nee": 3, "": None}
    for i in range(1, 12):
        frame[f"djg_{i}"] = frame[f"djg_{i}"].map(codes).astype("float")
    path = Path(data_dir) / "monitor.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={
        f"djg_{i}": {1: "ja", 2: "min of meer", 3: "nee"} for i in range(1, 12)})
    print(f"generated and wrote {args.rows} rows in {time.perf_counter() - started:.1f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)

    started = time.perf_counter()
    pyreadstat.read_sav(str(path), apply_value_formats=True, formats_as_category=False)
    read_only = time.perf_counter() - started

    mapping = SurveyMapping.from_yaml((ROOT / "docs" / "examples" / "canonical-mapping.yaml").read_text())
    content = path.read_bytes()
    started = time.perf_counter()
    with tqdm(total=args.rows, desc="respondenten opslaan", unit=" rij") as bar:
        report, wave = import_survey(gemeente, content=content, filename="monitor.sav", mapping=mapping,
                                     source="ggd_gezondheidsmonitor", year=2024, progress=bar.update)
    elapsed = time.perf_counter() - started
    assert report.ok, report.problems[:5]
    assert Respondent.objects.filter(wave=wave).count() == args.rows
    assert Wave.objects.get(pk=wave.pk).respondent_count == args.rows
    engine = django.db.connection.vendor
    print(f"| {time.strftime('%Y-%m-%d')} | {engine} | {args.rows:,} | {elapsed:.1f} s | {read_only:.1f} s "
          f"| {elapsed / read_only:.1f}x |")


if __name__ == "__main__":
    main()
