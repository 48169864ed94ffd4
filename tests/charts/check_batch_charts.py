#!/usr/bin/python3
"""Charts: scripts/batch-charts draws what the batch file holds, and the batch file's summary is
what its runs give.

Runs a small batch (the baseline and the skills portfolio, two draws of the calibration ensemble,
three replicates, 5,000 agents), then:
  (a) recomputes, from the per-run measures alone, every quantile, mean and paired difference of
      `summary` and `differences` with numpy.quantile(method="linear"), which pins the batch's
      quantile definition (Hyndman and Fan's type 7), and checks the order of the runs;
  (b) draws the charts, and checks that every expected PNG is a complete PNG (chunk CRCs, image
      data of the stated size), that summary.html is self-contained (no external resources, the
      images embedded as data: URIs, byte for byte the PNG files) and that its milestone and target
      numbers equal those recomputed from the per-run measures in milestones/ and policy/;
  (c) a second drawing with --force gives the same bytes;
  (d) refuses bad input with exit code 2 and one line naming it (a missing file, a file that is
      not HDF5, a run file, a batch file without a summary variable, a part file), and an existing
      folder without --force, leaving nothing behind.
"""

import argparse
import base64
import html.parser
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "regression"))
from regression_common import Checks, require_run, run_divsim, to_text  # noqa: E402

NAME = "charts-check"
SCENARIOS = ["baseline", "portfolio-skills"]
REFERENCE = "baseline"
# Draws 0 and 1 of the ensemble are the same parameter set (it is resampled); 0 and 2 differ.
DRAW_NUMBERS = [0, 2]
DRAWS = len(DRAW_NUMBERS)
REPLICATES = 3
AGENTS = 5000
QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95]
GROUPS = ["world", "high_income", "upper_middle_income", "lower_middle_income", "low_income",
          "urban", "rural", "female", "male"]
INDICATORS = {"internet_use_percent": ("internet_users", "population"),
              "mobile_ownership_percent": ("mobile_owners_10plus", "population_10plus"),
              "covered_3g_plus_percent": ("covered_3g_plus", "population"),
              "covered_4g_plus_percent": ("covered_4g_plus", "population"),
              "basic_skills_percent": ("basic_skills", "population")}
PNGS = [f"fan-{i}.png" for i in INDICATORS] + ["portfolio.png"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REL = 1e-12  # sums over strata may be taken in another order than numpy's


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--divsim", required=True, help="the divsim binary")
    p.add_argument("--root", required=True, help="the repository root")
    p.add_argument("--workdir", required=True, help="a scratch folder")
    p.add_argument("--batch", help="check this batch file of the same design instead of running one")
    a = p.parse_args()
    for k in ("divsim", "root", "workdir"):
        setattr(a, k, os.path.abspath(getattr(a, k)))
    if a.batch:
        a.batch = os.path.abspath(a.batch)
    if not os.path.isfile(os.path.join(a.root, "scripts", "batch-charts")):
        p.error(f"--root {a.root}: no scripts/batch-charts there")
    os.makedirs(a.workdir, exist_ok=True)
    return a


def batch_toml(root, workdir):
    """A batch of the shipped scenarios, with paths relative to the batch file as the format
    wants."""
    rel = os.path.relpath(root, workdir)
    files = ", ".join(f'"{rel}/scenarios/{s}.toml"' for s in SCENARIOS)
    return (f'[batch]\nname = "{NAME}"\nscenarios = [{files}]\nreference = "{REFERENCE}"\n'
            f"replicates = {REPLICATES}\nagents = {AGENTS}\n\n"
            f'[draws]\nfrom = "{rel}/calibration/posterior.csv"\ndraws = {DRAW_NUMBERS}\n')


def strings(dataset):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in dataset[...].tolist()]


def group_masks(f, group_name):
    import numpy as np
    income = np.array(strings(f[f"{group_name}/income_group" if group_name else "income_group"]))
    area = np.array(strings(f[f"{group_name}/area" if group_name else "area"]))
    sex = np.array(strings(f[f"{group_name}/sex" if group_name else "sex"]))
    masks = {"world": np.ones(len(income), bool), "urban": area == "urban", "rural": area == "rural",
             "female": sex == "female", "male": sex == "male"}
    for g in ("high", "upper_middle", "lower_middle", "low"):
        masks[f"{g}_income"] = income == g
    masks["low_and_middle_income"] = income != "high"
    return masks


def rates(data, masks, numerator, denominator, groups):
    """Per-run rates in percent, (runs, records, groups), from (runs, records, strata) measures."""
    import numpy as np
    return np.stack([100.0 * data[numerator][..., masks[g]].sum(-1) /
                     data[denominator][..., masks[g]].sum(-1) for g in groups], -1)


def quantiles(x, scenario_of_run, scenarios):
    import numpy as np
    return np.stack([np.quantile(x[scenario_of_run == s], QUANTILES, axis=0, method="linear")
                     for s in range(scenarios)])


def means(x, scenario_of_run, scenarios):
    import numpy as np
    return np.stack([x[scenario_of_run == s].mean(axis=0) for s in range(scenarios)])


def worst(a, b):
    """Largest relative difference between two arrays (NaN where both are NaN counts as equal)."""
    import numpy as np
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return math.inf
    both_nan = np.isnan(a) & np.isnan(b)
    if (np.isnan(a) != np.isnan(b)).any():
        return math.inf
    d = np.abs(a - b) / np.maximum(1.0, np.abs(b))
    return float(np.max(np.where(both_nan, 0.0, d))) if d.size else 0.0


def check_batch_file(c, path):
    """(a): the batch file's summary and differences from its per-run measures."""
    import h5py
    import numpy as np
    with h5py.File(path, "r") as f:
        S, D, R = len(SCENARIOS), DRAWS, REPLICATES
        runs = S * D * R
        scen = f["run_scenario_index"][...]
        k = np.arange(runs)
        c.check(len(scen) == runs and (scen == k // (D * R)).all() and
                (f["draw"][...] == np.array(DRAW_NUMBERS)[(k // R) % D]).all() and
                (f["replicate"][...] == k % R).all(),
                f"{runs} runs in the order k = (s·D + d)·R + r, draw(k) the ensemble's draw number",
                f"scenario {scen.tolist()}, draw {f['draw'][...].tolist()}")
        values = f["parameter_value"][...]
        c.check(values.shape[0] == runs and values.shape[1] > 0 and
                all((values[k_] == values[(k_ // R) % D * R]).all() for k_ in range(runs)) and
                not (values[0] == values[R]).all(),
                "every run of a draw uses its draw's parameters, and the two draws differ",
                f"parameter_value shape {values.shape}")
        ref = (SCENARIOS.index(REFERENCE) * D + (k // R) % D) * R + k % R
        c.check((f["reference_run"][...] == ref).all(), "reference_run(k) is the baseline run "
                "with the same draw and replicate", f"{f['reference_run'][...].tolist()}")
        c.check(strings(f["run_scenario"]) == [SCENARIOS[s] for s in scen] and
                strings(f["summary/scenario_name"]) == SCENARIOS,
                "run_scenario and summary/scenario_name name the scenarios in batch order")
        c.check(np.allclose(f["summary/quantile"][...], QUANTILES, rtol=0, atol=1e-15) and
                strings(f["summary/group_name"]) == GROUPS,
                "summary quantiles 0.05 … 0.95 and the nine groups",
                f"{f['summary/quantile'][...].tolist()}, {strings(f['summary/group_name'])}")
        time = f["time"][...]
        c.check(np.array_equal(f["summary/time"][...], time) and
                np.array_equal(f["policy/time"][...], time),
                "summary/time and policy/time are the root time")
        mtime = f["milestones/time"][...]
        idx = [int(np.where(time == t)[0][0]) if (time == t).any() else -1 for t in mtime]
        measures = [m for m in ("population", "population_10plus", "internet_users",
                                "mobile_owners_10plus", "covered_3g_plus", "covered_4g_plus",
                                "basic_skills") if m in f]
        data = {m: f[m][...] for m in measures}
        c.check(-1 not in idx and all(np.array_equal(f[f"milestones/{m}"][...], data[m][:, idx, :])
                                      for m in measures),
                "milestones/<measure> is the root measure at the milestone dates, bit for bit")
        masks = group_masks(f, "")
        # Summary rates: quantiles and means over the runs of each scenario.
        bad = []
        pinned = False
        for name, (num, den) in INDICATORS.items():
            per_run = rates(data, masks, num, den, GROUPS)
            q, m = quantiles(per_run, scen, S), means(per_run, scen, S)
            e = worst(f[f"summary/{name}"][...], q)
            if e > REL:
                bad.append(f"{name}: {e:.3g}")
            if worst(f[f"summary/{name}_mean"][...], m) > REL:
                bad.append(f"{name}_mean")
            # The check must tell type 7 from its neighbours, else it pins nothing.
            other = np.stack([np.quantile(per_run[scen == s], QUANTILES, axis=0, method="weibull")
                              for s in range(S)])
            pinned = pinned or worst(f[f"summary/{name}"][...], other) > 1e-6
        users = np.stack([data["internet_users"][..., masks[g]].sum(-1) for g in GROUPS], -1)
        if worst(f["summary/internet_users"][...], quantiles(users, scen, S)) > REL:
            bad.append("internet_users")
        cents = f["policy/spending"][...].astype(np.int64).sum(axis=2)  # (run, time)
        spent = np.cumsum(cents, axis=1) / 100.0
        if worst(f["summary/spending_usd"][...], quantiles(spent, scen, S)) > REL or \
                worst(f["summary/spending_usd_mean"][...], means(spent, scen, S)) > REL:
            bad.append("spending_usd")
        c.check(not bad, "every summary quantile and mean equals numpy.quantile(method='linear') "
                "and the mean over the scenario's runs", "; ".join(bad))
        c.check(pinned, "the same quantiles taken another way (Weibull) differ, so the check pins "
                "the definition")

        # Paired differences.
        ref_runs = f["reference_run"][...]
        use = rates(data, masks, "internet_users", "population", GROUPS)
        pairs = {"users_gained": users - users[ref_runs], "use_change_pp": use - use[ref_runs],
                 "additional_spending_usd": spent - spent[ref_runs]}
        bad = []
        for name, x in pairs.items():
            if worst(f[f"differences/{name}"][...], quantiles(x, scen, S)) > REL:
                bad.append(name)
            if worst(f[f"differences/{name}_mean"][...], means(x, scen, S)) > REL:
                bad.append(name + "_mean")
        years = [int(y) for y in f["milestones/year"][...]]
        cost = np.full((S, len(years)), np.nan)
        for s in range(S):
            for j, i in enumerate(idx):
                gain = pairs["users_gained"][scen == s, i, 0].mean()
                if gain > 0:
                    cost[s, j] = pairs["additional_spending_usd"][scen == s, i].mean() / gain
        if worst(f["differences/cost_per_user_gained_usd"][...], cost) > REL:
            bad.append("cost_per_user_gained_usd")
        c.check(not bad, "every paired difference (run − reference run) and the cost per user "
                "gained equal those recomputed from the runs", "; ".join(bad))
        c.check(np.all(pairs["users_gained"][scen == SCENARIOS.index(REFERENCE)] == 0),
                "the reference against itself gains nothing")
        gained_2030 = pairs["users_gained"][scen == 1, idx[years.index(2030)], 0]
        c.note(f"portfolio-skills gains {np.median(gained_2030) / 1e6:.1f} million users by 2030 "
               f"(median of {len(gained_2030)} paired runs)")


def expected_numbers(path):
    """{data-v key: value} as summary.html should show them, from milestones/ and policy/ alone."""
    import h5py
    import numpy as np
    out = {}
    with h5py.File(path, "r") as f:
        scen = f["run_scenario_index"][...]
        ref_runs = f["reference_run"][...]
        names = strings(f["summary/scenario_name"])
        ms = f["milestones"]
        years = [int(y) for y in ms["year"][...]]
        masks = group_masks(f, "milestones")
        data = {m: ms[m][...] for m in ("internet_users", "population")}
        use = rates(data, masks, "internet_users", "population", GROUPS)  # (run, year, group)
        users = data["internet_users"].sum(-1)                              # (run, year)
        time = f["time"][...]
        cents = np.cumsum(f["policy/spending"][...].astype(np.int64).sum(axis=2), axis=1)
        idx = [int(np.where(time == t)[0][0]) for t in ms["time"][...]]
        spent = cents[:, idx] / 100.0                                       # (run, year)
        gained = users - users[ref_runs]
        added = spent - spent[ref_runs]
        for s, name in enumerate(names):
            sel = scen == s
            for j, y in enumerate(years):
                key = f"{name}|{y}"
                for q, tag in ((0.05, "q05"), (0.5, "q50"), (0.95, "q95")):
                    out[f"{key}|internet_use_percent|world|{tag}"] = \
                        np.quantile(use[sel, j, 0], q, method="linear")
                    out[f"{key}|users_gained_millions|world|{tag}"] = \
                        np.quantile(gained[sel, j], q, method="linear") / 1e6
                    out[f"{key}|spending_usd_bn|{tag}"] = \
                        np.quantile(spent[sel, j], q, method="linear") / 1e9
                for g, group in enumerate(GROUPS[1:], 1):
                    out[f"{key}|internet_use_percent|{group}|q50"] = \
                        np.quantile(use[sel, j, g], 0.5, method="linear")
                if name != REFERENCE:
                    gain = gained[sel, j].mean()
                    out[f"{key}|cost_per_user_gained_usd"] = \
                        added[sel, j].mean() / gain if gain > 0 else math.nan
        # Targets: world Internet use at the 2030 milestone (umc_use) and at 1 July 2025
        # (bbcom_use_world), low- and middle-income use at 1 July 2025 (bbcom_use_developing).
        root_masks = group_masks(f, "")
        july_2025 = int(np.argmin(np.abs(time - 181)))  # 2025-07-01 is day 181 of the run
        root = {m: f[m][:, july_2025, :] for m in ("internet_users", "population")}
        for target, values in (
                ("umc_use", use[:, years.index(2030), 0]),
                ("bbcom_use_world", rates(root, root_masks, "internet_users", "population",
                                          ["world"])[:, 0]),
                ("bbcom_use_developing", rates(root, root_masks, "internet_users", "population",
                                               ["low_and_middle_income"])[:, 0])):
            for s, name in enumerate(names):
                for q, tag in ((0.05, "q05"), (0.5, "q50"), (0.95, "q95")):
                    out[f"target|{target}|{name}|{tag}"] = \
                        np.quantile(values[scen == s], q, method="linear")
    return out


class Page(html.parser.HTMLParser):
    """What the checks need from summary.html: the tagged numbers, the images, every link."""

    def __init__(self):
        super().__init__()
        self.numbers, self.images, self.links, self.tags = {}, [], [], set()
        self._key = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "span" and "data-v" in a:
            self._key = a["data-v"]
            self.numbers[self._key] = ""
        if tag == "img":
            self.images.append((a.get("alt", ""), a.get("src", "")))
        for k in ("src", "href", "action", "data", "poster"):
            if k in a:
                self.links.append(a[k] or "")

    def handle_data(self, data):
        if self._key is not None:
            self.numbers[self._key] += data

    def handle_endtag(self, tag):
        if tag == "span":
            self._key = None


def png_problem(data):
    """None when data is a complete PNG image of plausible size, else what is wrong."""
    if not data.startswith(PNG_SIGNATURE):
        return "no PNG signature"
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        if pos + 8 > len(data):
            return "truncated chunk header"
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(body) != length or len(crc) != 4:
            return f"truncated {kind!r} chunk"
        if zlib.crc32(kind + body) != struct.unpack(">I", crc)[0]:
            return f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        return "chunks do not run from IHDR to IEND"
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None:
        return f"unexpected depth {depth} / colour type {colour}"
    if not (800 <= width <= 4000 and 400 <= height <= 4000):
        return f"implausible size {width}×{height}"
    try:
        pixels = zlib.decompress(idat)
    except zlib.error as e:
        return f"image data does not decompress ({e})"
    if len(pixels) != height * (1 + width * channels):
        return f"image data of {len(pixels)} bytes for {width}×{height}"
    if len(set(pixels[::97])) < 8:
        return "an almost uniform image"
    return None


def charts(a, *args):
    return subprocess.run([os.path.join(a.root, "scripts", "batch-charts")] + list(args),
                          capture_output=True, text=True, timeout=600, cwd=a.workdir)


def folder_bytes(folder):
    out = {}
    for n in sorted(os.listdir(folder)):
        with open(os.path.join(folder, n), "rb") as f:
            out[n] = f.read()
    return out


def close_to_shown(shown, value, decimals):
    """The shown text is value rounded to `decimals` places (thousands separated by commas)."""
    if isinstance(value, float) and math.isnan(value):
        return shown == "n/a"
    try:
        number = float(shown.replace(",", ""))
    except ValueError:
        return False
    return abs(number - value) <= 0.5 * 10 ** -decimals + 1e-9 * max(1.0, abs(value))


def decimals_of(key):
    if "cost_per_user" in key:
        return 0
    if "users_gained" in key or "spending_usd_bn" in key:
        return 2
    return 1


def main():
    a = parse_args()
    c = Checks("scripts/batch-charts draws what the batch file holds")
    w = a.workdir
    for n in os.listdir(w):
        p = os.path.join(w, n)
        shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)

    if a.batch:
        # A copy, so that the charts land in the scratch folder.
        batch = os.path.join(w, "outputs", f"{NAME}.h5")
        os.makedirs(os.path.dirname(batch))
        shutil.copyfile(a.batch, batch)
        c.note(f"checking a copy of {a.batch} instead of running a batch")
    else:
        toml = os.path.join(w, f"{NAME}.toml")
        with open(toml, "w", encoding="utf-8") as f:
            f.write(batch_toml(a.root, w))
        batch = os.path.join(w, "outputs", f"{NAME}.h5")
        proc, seconds = run_divsim(["batch", toml, "-o", batch, "-q"], a.divsim, w, timeout=600)
        require_run(c, proc, "divsim batch")
        if not os.path.isfile(batch):
            c.fatal(f"divsim batch wrote no {batch}; stderr:\n{proc.stderr.strip()}")
        c.note(f"divsim batch: {len(SCENARIOS) * DRAWS * REPLICATES} runs in {seconds:.1f} s")

    check_batch_file(c, batch)

    # (b) The charts and the summary.
    out = os.path.splitext(batch)[0] + "-charts"
    proc = charts(a, batch)
    c.check(proc.returncode == 0 and proc.stderr.strip() ==
            f"batch-charts: wrote {out} ({len(PNGS)} charts and summary.html)",
            "batch-charts draws into the default folder, the batch's name with -charts, and says so",
            f"exit {proc.returncode}, stderr {proc.stderr.strip()[-800:]!r}")
    if proc.returncode != 0:
        c.finish()
    files = folder_bytes(out)
    c.check(sorted(files) == sorted(PNGS + ["summary.html"]), "one fan chart per indicator, the "
            "portfolio chart and summary.html, nothing else", f"{sorted(files)}")
    problems = {n: png_problem(files.get(n, b"")) for n in PNGS}
    c.check(not any(problems.values()), "every chart is a complete PNG of plausible size "
            "(CRCs, image data, not blank)", f"{ {k: v for k, v in problems.items() if v} }")
    c.check(all(len(files.get(n, b"")) > 20_000 for n in PNGS), "every chart is over 20 kB",
            f"{ {n: len(files.get(n, b'')) for n in PNGS} }")

    text = files.get("summary.html", b"").decode("utf-8")
    page = Page()
    page.feed(text)
    external = [x for x in page.links if not x.startswith("data:") and not x.startswith("#")]
    c.check(not external and not ({"script", "link", "iframe", "object", "embed"} & page.tags) and
            "url(" not in text and "@import" not in text,
            "summary.html is self-contained: no scripts, links, external sources or imports",
            f"{external[:3]}")
    embedded = {alt: src for alt, src in page.images}
    c.check(sorted(embedded) == sorted(PNGS) and all(
        src.startswith("data:image/png;base64,") and
        base64.b64decode(src.split(",", 1)[1]) == files[alt] for alt, src in embedded.items()),
            "every chart is embedded as a data: URI, byte for byte the PNG file",
            f"images {sorted(embedded)}")

    import h5py
    with h5py.File(batch, "r") as f:
        attrs = {k: to_text(v) for k, v in f.attrs.items()}
    c.check(all(str(attrs[k]) in text for k in ("batch_name", "batch_sha256", "git_commit",
                                                   "engine_version", "created")),
            "the provenance of the batch file is in the summary")

    want = expected_numbers(batch)
    missing = [k for k in want if k not in page.numbers]
    wrong = [f"{k}: shown {page.numbers[k]!r}, computed {want[k]!r}" for k in want
             if k in page.numbers and not close_to_shown(page.numbers[k], float(want[k]),
                                                         decimals_of(k))]
    c.check(not missing and not wrong, f"summary.html shows the {len(want)} milestone and target "
            "numbers recomputed from the per-run measures of milestones/ and policy/",
            "; ".join((missing[:3] and [f"missing {missing[:3]}"]) + wrong[:5]))
    c.note("world Internet use at 2030, median: " + ", ".join(
        f"{s} {page.numbers.get(f'{s}|2030|internet_use_percent|world|q50')} %" for s in SCENARIOS))
    verdicts = re.findall(r'data-v="target\|umc_use\|[^|]+\|q95">[^<]*</span>\]</span> '
                          r'<span class="(yes|no)">', text)
    c.check(verdicts == ["no"] * len(SCENARIOS) and all(
        float(page.numbers[f"target|umc_use|{s}|q50"]) < 100 for s in SCENARIOS),
            "no scenario reaches universal use by 2030, and the table says so", f"{verdicts}")
    for target in ("bbcom_use_ldc", "bbcom_gender", "umc_schools", "umc_skills"):
        c.check(re.search(rf"{target}</td>.*?not mapped: ", text), f"{target} is listed as not "
                "mapped, with the reason")
    c.check("target: aged 15+; the model&#x27;s indicator: all ages" in text,
            "the difference of ages between umc_use and the model's indicator is said")

    # (c) Same batch, same bytes.
    proc = charts(a, batch, "--force")
    again = folder_bytes(out) if os.path.isdir(out) else {}
    c.check(proc.returncode == 0 and again == files,
            "drawn again with --force: the folder is replaced by the same bytes",
            f"exit {proc.returncode}, differing {[n for n in files if again.get(n) != files[n]]}")
    leftovers = [n for n in os.listdir(os.path.dirname(out)) if ".tmp-" in n]
    c.check(not leftovers, "no temporary folders left behind", f"{leftovers}")

    # (d) Refusals.
    with open(os.path.join(out, "summary.html"), "ab") as f:
        f.write(b"<!-- kept -->")
    kept = folder_bytes(out)
    proc = charts(a, batch)
    c.check(proc.returncode == 2 and proc.stderr == f"batch-charts: {out}: output exists "
            "(use --force to overwrite it)\n" and folder_bytes(out) == kept,
            "an existing folder without --force: exit 2, one line, the folder untouched",
            f"exit {proc.returncode}, stderr {proc.stderr!r}")
    foreign = os.path.join(w, "foreign")
    os.makedirs(foreign)
    with open(os.path.join(foreign, "notes.txt"), "w", encoding="utf-8") as f:
        f.write("mine\n")
    proc = charts(a, batch, "--out", foreign, "--force")
    c.check(proc.returncode == 2 and re.fullmatch(
        rf"batch-charts: {re.escape(foreign)}: holds files batch-charts does not write \(such as "
        r"notes\.txt\); not replacing it\n", proc.stderr) and os.listdir(foreign) == ["notes.txt"],
            "a folder holding other files is not replaced even with --force",
            f"exit {proc.returncode}, stderr {proc.stderr!r}")

    bad = os.path.join(w, "bad")
    os.makedirs(bad)
    run_file = os.path.join(bad, "run.h5")
    proc, _ = run_divsim(["run", os.path.join(a.root, "scenarios", "baseline.toml"), "--agents",
                          str(AGENTS), "-q", "--force", "-o", run_file], a.divsim, a.root, 300)
    require_run(c, proc, "divsim run (a run file)")
    no_summary = os.path.join(bad, "no-summary.h5")
    part = os.path.join(bad, "part.h5")
    for copy in (no_summary, part):
        shutil.copyfile(batch, copy)
    with h5py.File(no_summary, "a") as f:
        del f["summary/internet_use_percent"]
    with h5py.File(part, "a") as f:
        del f["summary"], f["differences"]
        f.attrs["shard"] = "1/2"
    not_hdf5 = os.path.join(bad, "notes.toml")
    with open(not_hdf5, "w", encoding="utf-8") as f:
        f.write("[batch]\n")
    missing = os.path.join(bad, "missing.h5")
    cases = [
        ([missing], rf"{re.escape(missing)}: no such file", "a missing file"),
        ([not_hdf5], rf"{re.escape(not_hdf5)}: not a divsim batch file \(not HDF5\)",
         "a file that is not HDF5"),
        ([run_file], rf'{re.escape(run_file)}: not a divsim batch file \(title "divsim run: '
                     r'baseline"\)', "a run file"),
        ([no_summary], rf"{re.escape(no_summary)}: no summary/internet_use_percent \(not a "
                       r"complete batch file\)", "a batch file without a summary variable"),
        ([part], rf"{re.escape(part)}: a part file \(shard 1/2\) has no summary; join the parts "
                 r"with divsim merge first", "a part file"),
        ([], r"expected a batch file, found none \(usage: scripts/batch-charts BATCH\.h5 "
             r"\[--out DIR\] \[--force\]\)", "no batch file"),
        ([run_file, "--colour"], r"option --colour does not exist \(usage: .*\)", "an unknown option"),
    ]
    for args, pattern, what in cases:
        before = sorted(os.listdir(bad))
        proc = charts(a, *args)
        c.check(proc.returncode == 2 and re.fullmatch(f"batch-charts: {pattern}\n", proc.stderr)
                and sorted(os.listdir(bad)) == before,
                f"{what}: exit 2, one line naming it, nothing written",
                f"exit {proc.returncode}, stderr {proc.stderr!r}")
    c.finish()


if __name__ == "__main__":
    main()
