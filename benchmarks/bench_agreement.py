"""Benchmark: every figure of ``compute_agreement`` — % and κ, PSA, PABAK and AC1 per coder pair,
pairwise αU, αU over all coders, the 2016 family (uα, |uα, cuα, (k)uα; timed on its own too),
Fleiss' κ and nominal α — per code and all codes, pooled and per
document. The last block repeats the computation from ``SpanColumns`` (as the service calls it)
and prints median, p95 and max.

Synthetic corpus: 50 documents × 100,000 characters (5M), 3 coders, 30 codes. Each document and
code has ~65 "true" spans of 20–600 characters; each coder keeps a true span unchanged with
probability 0.7, shifts its boundaries by up to 40 characters (0.15), drops it (0.1) or splits
it in two (0.05), and adds ~5 spurious spans of their own. Run:

    python benchmarks/bench_agreement.py [--docs 50] [--length 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.core.agreement import CodedSpan, Continuum, SpanColumns, compute_agreement
from annotator.core.agreement_table import build_span_table
from annotator.core.bootstrap import bootstrap_agreement
from annotator.core.unitizing import unitizing_alphas
from annotator.core.unitizing_2016 import family_sums, resampled_family, unitizing_family

CODERS = ("alice", "bob", "carol")


def synthetic_spans(
    n_docs: int, length: int, n_codes: int, true_per_code: int, seed: int = 1
) -> list[CodedSpan]:
    rng = np.random.default_rng(seed)
    spans: list[CodedSpan] = []
    for doc in range(n_docs):
        for k in range(n_codes):
            code = f"theme/{k:02d}"
            starts = rng.integers(0, length - 600, true_per_code)
            lengths = rng.integers(20, 600, true_per_code)
            for coder in CODERS:
                fate = rng.random(true_per_code)
                jitter = rng.integers(-40, 41, (true_per_code, 2))
                for s, ln, f, (j0, j1) in zip(starts, lengths, fate, jitter, strict=True):
                    s, e = int(s), int(s + ln)
                    if f < 0.70:
                        spans.append(CodedSpan(doc, code, coder, s, e))
                    elif f < 0.85:
                        s2, e2 = max(0, s + int(j0)), min(length, e + int(j1))
                        if e2 > s2:
                            spans.append(CodedSpan(doc, code, coder, s2, e2))
                    elif f < 0.95:
                        continue
                    else:
                        mid = (s + e) // 2
                        spans.append(CodedSpan(doc, code, coder, s, mid))
                        spans.append(CodedSpan(doc, code, coder, mid, e))
                for s in rng.integers(0, length - 300, 5):
                    spans.append(CodedSpan(doc, code, coder, int(s), int(s) + 150))
    return spans


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50)
    parser.add_argument("--length", type=int, default=100_000)
    parser.add_argument("--codes", type=int, default=30)
    parser.add_argument("--spans", type=int, default=65, help="true spans per document and code")
    parser.add_argument("--repeats", type=int, default=10, help="timed runs for median/p95/max")
    parser.add_argument("--boot-repeats", type=int, default=3, help="timed bootstrap runs")
    args = parser.parse_args()

    spans = synthetic_spans(args.docs, args.length, args.codes, args.spans)
    continua = [Continuum(d, args.length) for d in range(args.docs)]
    zones = ((0, 2_000), (5_000, args.length))  # e.g. author notes at [2000, 5000) excluded
    zoned = [Continuum(d, args.length, zones) for d in range(args.docs)]
    chars = args.docs * args.length
    print(f"{chars:,} characters, {len(spans):,} spans, {len(CODERS)} coders, {args.codes} codes")

    t0 = time.perf_counter()
    table = build_span_table(spans, continua)
    t1 = time.perf_counter()
    unitizing_alphas(table)
    t2 = time.perf_counter()
    report = compute_agreement(spans, continua)
    t3 = time.perf_counter()
    compute_agreement(spans, zoned)
    t4 = time.perf_counter()
    rows = report.rows()
    report.to_json_dict()
    t5 = time.perf_counter()

    pooled = report.alpha_u()
    pair = report.pair("*", "alice", "bob")
    print(f"build table from CodedSpan objects   {t1 - t0:7.3f} s")
    print(f"αU only (all scopes and codes)        {t2 - t1:7.3f} s")
    print(f"compute_agreement (κ, %, αU), total   {t3 - t2:7.3f} s   <- target ≤ 1 s")
    print(f"compute_agreement with a zone filter  {t4 - t3:7.3f} s")
    print(f"rows() + to_json_dict()               {t5 - t4:7.3f} s  ({len(rows):,} rows)")
    print(
        f"pooled αU (all codes) = {pooled.alpha:.4f}; "
        f"alice|bob κ (all codes) = {pair.kappa:.4f}, % = {pair.percent_agreement:.4f}, "
        f"αU = {pair.alpha_u:.4f}, PSA = {pair.positive_agreement:.4f}, AC1 = {pair.ac1:.4f}; "
        f"Fleiss κ = {report.coder_set().fleiss_kappa:.4f}"
    )
    columns = SpanColumns.from_spans(spans)
    times, cpu_times = [], []
    for _ in range(args.repeats):
        start, cpu = time.perf_counter(), time.process_time()
        compute_agreement(columns, continua)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)  # the machines are shared: wall time waits for a core
    median, p95, worst = np.median(times), np.percentile(times, 95), max(times)
    print(
        f"all figures from SpanColumns, {args.repeats} runs: median {median:.3f} s, p95 {p95:.3f} s, "
        f"max {worst:.3f} s (CPU median {np.median(cpu_times):.3f} s, max {max(cpu_times):.3f} s)"
        "   <- target ≤ 1 s"
    )
    table = build_span_table(columns, continua)
    family_times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        family = unitizing_family(table)
        family_times.append(time.perf_counter() - start)
    pooled_family = family[(None, "*")]
    print(
        f"2016 family (uα per code and *, |uα, cuα, (k)uα; pooled and per document), {args.repeats} runs: "
        f"median {np.median(family_times):.3f} s, p95 {np.percentile(family_times, 95):.3f} s, "
        f"max {max(family_times):.3f} s (included in the figures above); "
        f"uα * = {pooled_family.u_alpha_2016.value}, note: {pooled_family.u_alpha_2016.note or '-'}"
    )
    sums = family_sums(table)
    weights = np.random.default_rng(1).multinomial(args.docs, [1 / args.docs] * args.docs, size=1000)
    resample_times = []
    for _ in range(args.boot_repeats):
        start = time.perf_counter()
        resampled_family(sums, table.codes, weights)
        resample_times.append(time.perf_counter() - start)
    print(
        f"2016 family, 1,000 resamples from its per-document sums, {args.boot_repeats} runs: "
        f"median {np.median(resample_times):.3f} s, p95 {np.percentile(resample_times, 95):.3f} s, "
        f"max {max(resample_times):.3f} s (part of the bootstrap below)"
    )
    boot_times = []
    for _ in range(args.boot_repeats):
        start = time.perf_counter()
        boot = bootstrap_agreement(table, resamples=1000, seed=1)
        boot_times.append(time.perf_counter() - start)
    ci = boot.alpha_u["*"]
    print(
        f"bootstrap, 1,000 resamples of documents (αU per code and *, κ per pair), {args.boot_repeats} runs: "
        f"median {np.median(boot_times):.3f} s, p95 {np.percentile(boot_times, 95):.3f} s, "
        f"max {max(boot_times):.3f} s   <- target ≤ 10 s; αU 95% CI [{ci.low:.4f}, {ci.high:.4f}]"
    )


if __name__ == "__main__":
    main()
