"""Named-query benchmark: every query in ``queries/`` against the same query in a baseline
folder (another revision's ``queries/``), on one store, in turn.

Each query runs with the parameters of each of its header's examples (``--first-example``:
the first only, as ``bench_build.py`` times them), the baseline's version then this tree's,
``--repeats`` times over; the best time of each is kept. Interleaving puts both under the
same load on a shared machine. Each answer is compared with the baseline's, as a set of rows
(same rows) and as a list (same order), so a rewrite that changes an answer shows here.

    git archive START queries | tar -x -C /tmp/base
    python bench/bench_queries.py --store STORE --baseline /tmp/base/queries \\
        --baseline-substitutions -o bench/results/queries.json

``--baseline-substitutions`` binds the baseline's parameters as the baseline revision's
``Store.query`` did, as Oxigraph substitutions, where this tree's ``Store.query`` writes
them into the query (``kg.inline``).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from pyoxigraph import Variable

from kg.queries import QUERIES_DIR, NamedQuery, example_parameters, load_query
from kg.store import Store, Table, _evaluate, to_table


def _rows(table: Table) -> list[tuple[str, ...]]:
    return [tuple("" if cell is None else str(cell) for cell in row) for row in table.rows]


def _timed(
    store: Store, query: NamedQuery, params: dict[str, str], substitutions: bool = False
) -> tuple[float, Table]:
    """Seconds and answer of one run; ``substitutions``: bound as Oxigraph substitutions,
    as ``Store.query`` bound them before ``kg.inline`` (the baseline revision's way)."""
    bindings = query.bindings(params)
    start = time.perf_counter()
    if substitutions and bindings:
        subs = {Variable(name): term for name, term in bindings.items()}
        table = store._reading(lambda ox: to_table(_evaluate(ox, query.sparql, subs)))
    else:
        table = store.query(query.sparql, bindings)
    return time.perf_counter() - start, table


def compare(
    store: Store,
    name: str,
    folders: dict[str, Path],
    repeats: int,
    first_only: bool,
    baseline_substitutions: bool = False,
) -> list[dict[str, Any]]:
    """One record per example of query ``name``: each folder's best seconds and rows."""
    queries = {label: load_query(folder / f"{name}.rq") for label, folder in folders.items()}
    examples = queries["this tree"].examples or ("",)
    records = []
    for example in examples[:1] if first_only else examples:
        params = example_parameters(example)
        seconds: dict[str, list[float]] = {label: [] for label in folders}
        answers: dict[str, list[tuple[str, ...]]] = {}
        for _ in range(repeats):
            for label, query in queries.items():
                by_substitution = baseline_substitutions and label == "baseline"
                took, table = _timed(store, query, params, by_substitution)
                seconds[label].append(took)
                answers[label] = _rows(table)
        base, this = answers["baseline"], answers["this tree"]
        records.append(
            {
                "query": name,
                "params": params,
                "baseline_s": min(seconds["baseline"]),
                "this_tree_s": min(seconds["this tree"]),
                "rows": len(this),
                "baseline_rows": len(base),
                "same_rows": sorted(base) == sorted(this),
                "same_order": base == this,
            }
        )
    return records


def _summary(records: list[dict[str, Any]], key: str) -> dict[str, Any]:
    times = [r[key] for r in records]
    slowest = max(records, key=lambda r: r[key])
    return {
        "median_s": statistics.median(times),
        "slowest_s": slowest[key],
        "slowest": slowest["query"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an embedded store")
    parser.add_argument("--baseline", type=Path, required=True, help="a queries/ folder")
    parser.add_argument("--queries", type=Path, default=QUERIES_DIR, help="this tree's")
    parser.add_argument("--names", help="only these queries (comma-separated)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--first-example", action="store_true", help="as bench_build does")
    parser.add_argument(
        "--baseline-substitutions",
        action="store_true",
        help="bind the baseline's parameters as Oxigraph substitutions (before kg.inline)",
    )
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    folders = {"baseline": args.baseline, "this tree": args.queries}
    names = (
        args.names.split(",") if args.names else sorted(p.stem for p in args.queries.glob("*.rq"))
    )
    records: list[dict[str, Any]] = []
    with Store.open(args.store, read_only=True) as store:
        for name in names:
            records_of = compare(
                store, name, folders, args.repeats, args.first_example, args.baseline_substitutions
            )
            for record in records_of:
                records.append(record)
                flag = "" if record["same_rows"] else "  DIFFERENT ROWS"
                print(
                    f"{name} {record['params'] or ''}: {record['baseline_s']:.3f} s -> "
                    f"{record['this_tree_s']:.3f} s ({record['rows']} rows){flag}",
                    flush=True,
                )
    firsts = {r["query"]: r for r in reversed(records)}  # each query's first example
    result = {
        "machine": {"platform": platform.platform(), "python": platform.python_version()},
        "store": str(args.store),
        "repeats": args.repeats,
        "baseline_substitutions": args.baseline_substitutions,
        "queries": records,
        "every_example": {
            "baseline": _summary(records, "baseline_s"),
            "this_tree": _summary(records, "this_tree_s"),
        },
        "first_example": {
            "baseline": _summary(list(firsts.values()), "baseline_s"),
            "this_tree": _summary(list(firsts.values()), "this_tree_s"),
        },
    }
    print(json.dumps({k: result[k] for k in ("every_example", "first_example")}, indent=1))
    if args.output:
        args.output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
