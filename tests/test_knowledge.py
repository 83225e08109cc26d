"""The knowledge layer (kg/knowledge): one node per real-world event and fact.

Built from real pipeline runs on short articles: several outlets, in two languages,
report one request for military help; a month later, another.  The layer must merge the
first reports into one world event and keep the later one apart, keep contradicting
memberships side by side, and be exactly the same whatever the order, batches and
workers -- and after documents are added, replaced or removed, equal to a clean build.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

from kg.builder import BuildOptions, build, remove_documents
from kg.knowledge.clustering import cluster_events, cluster_facts
from kg.knowledge.layer import knowledge_graph
from kg.knowledge.reports import EventReport, FactReport, Source, url_date
from kg.store import Store
from kg.vocab import DEFAULT_BASE_IRI

LAYER = knowledge_graph(DEFAULT_BASE_IRI)
ARTICLES = [
    # Tuesday 13 September 2022: the day the text gives the request in b1.
    ("a1", "en", "https://alpha.example/a1", "2022-09-14T08:00:00+00:00",
     "Azerbaijani forces shelled Armenian towns, Armenia said. "
     "Armenia asked Russia for military help."),
    ("b1", "en", "https://www.beta.example/b1", "2022-09-14T10:00:00+00:00",
     "Armenia accused Azerbaijan of shelling its towns. "
     "Armenia asked Russia for military help on Tuesday."),
    ("c1", "fr", "https://gamma.example/c1", "2022-09-14T18:00:00+00:00",
     "L'Arménie a demandé l'aide militaire de la Russie. L'Arménie a accusé l'Azerbaïdjan."),
    ("d1", "en", "https://delta.example/d1", "2022-10-20T10:00:00+00:00",
     "Armenia asked Russia for military help again."),
    ("m1", "en", "https://one.example/m1", "2023-01-10T08:00:00+00:00",
     "Hungary, a member of NATO, blocked the decision."),
    ("m2", "en", "https://two.example/m2", "2023-02-10T08:00:00+00:00",
     "Hungary, a former member of NATO, blocked the decision."),
]  # fmt: skip


def write_articles(path: Path, ids: list[str] | None = None, edits: dict | None = None) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for doc_id, lang, url, published, text in ARTICLES:
            if ids is None or doc_id in ids:
                text = (edits or {}).get(doc_id, text)
                record = {"id": doc_id, "lang": lang, "url": url, "published": published}
                out.write(json.dumps({**record, "text": text}, ensure_ascii=False) + "\n")
    return path


def layer_of(store: Path) -> list[str]:
    ox = OxStore.read_only(str(store))
    return sorted(str(q) for q in ox.quads_for_pattern(None, None, None, LAYER))


def clean_build(tmp: Path, name: str, ids: list[str], edits: dict | None = None) -> list[str]:
    articles = write_articles(tmp / f"{name}.jsonl", ids, edits)
    build([articles], tmp / name, BuildOptions(describe=False))
    return layer_of(tmp / name)


def rows(store: Path, sparql: str) -> list[tuple[str, ...]]:
    with Store.open(store, read_only=True) as opened:
        table = opened.query(sparql)
    return [tuple(getattr(term, "value", "") for term in row) for row in table.rows]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("knowledge")
    build([write_articles(tmp / "news.jsonl")], tmp / "store", BuildOptions(describe=False))
    return tmp / "store"


REQUESTS = """
SELECT ?event ?reports ?date (GROUP_CONCAT(DISTINCT ?outlet; separator=" ") AS ?outlets)
       (GROUP_CONCAT(DISTINCT ?lang; separator=" ") AS ?langs) ?first ?last
WHERE { GRAPH ?layer {
  ?event a gk:WorldEvent ; sem:eventType plover:REQUEST ; gk:actor wd:Q399 ;
         gk:recipient wd:Q159 ; gk:reportCount ?reports ; sem:hasTimeStamp ?date ;
         gk:outlet ?outlet ; dcterms:language ?lang ;
         gk:firstReported ?first ; gk:lastReported ?last } }
GROUP BY ?event ?reports ?date ?first ?last ORDER BY ?date
"""


def test_reports_of_one_event_from_several_outlets_and_languages_are_one_world_event(
    built: Path,
) -> None:
    found = rows(built, REQUESTS.replace("?layer", f"<{LAYER.value}>"))
    assert [row[1:] for row in found] == [
        ("3", "2022-09-13", "alpha.example beta.example gamma.example", "en fr",
         "2022-09-14T08:00:00Z", "2022-09-14T18:00:00Z"),
        ("1", "2022-10-20", "delta.example", "en",
         "2022-10-20T10:00:00Z", "2022-10-20T10:00:00Z"),
    ]  # fmt: skip
    derived = rows(
        built,
        f"SELECT ?report ?doc WHERE {{ GRAPH <{LAYER.value}> {{ <{found[0][0]}> "
        "prov:wasDerivedFrom ?report } ?report a sem:Event ; prov:wasDerivedFrom ?doc }",
    )
    assert sorted(doc.rsplit("/", 1)[1] for _, doc in derived) == ["a1", "b1", "c1"]


def test_contradicting_memberships_are_kept_side_by_side_with_their_dates(built: Path) -> None:
    found = rows(
        built,
        f"SELECT ?detail ?first ?other WHERE {{ GRAPH <{LAYER.value}> {{ ?fact a gk:Fact ; "
        "gk:relationType 'MEMBER_OF' ; gk:factSubject wd:Q28 ; gk:factObject wd:Q7184 ; "
        "gk:factDetail ?detail ; gk:firstReported ?first ; gk:conflictsWith ?other } } "
        "ORDER BY ?detail",
    )
    assert [row[:2] for row in found] == [
        ("former", "2023-02-10T08:00:00Z"),
        ("full", "2023-01-10T08:00:00Z"),
    ]
    assert found[0][2] != found[1][2]


def test_the_layer_is_the_same_whatever_the_order_batches_and_workers(
    built: Path, tmp_path: Path
) -> None:
    reference = layer_of(built)
    backwards = tmp_path / "backwards.jsonl"
    lines = write_articles(tmp_path / "news.jsonl").read_text(encoding="utf-8").splitlines()
    backwards.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")
    build([backwards], tmp_path / "one-by-one", BuildOptions(batch_size=1, describe=False))
    assert layer_of(tmp_path / "one-by-one") == reference
    build([backwards], tmp_path / "two-workers", BuildOptions(workers=2, describe=False))
    assert layer_of(tmp_path / "two-workers") == reference


def test_added_replaced_and_removed_documents_leave_the_layer_of_a_clean_build(
    tmp_path: Path,
) -> None:
    everything = [article[0] for article in ARTICLES]
    store = tmp_path / "store"
    build([write_articles(tmp_path / "some.jsonl", ["a1", "c1", "d1", "m1", "m2"])], store)
    build([write_articles(tmp_path / "all.jsonl")], store)  # adds b1
    assert layer_of(store) == clean_build(tmp_path, "clean-all", everything)

    # b1 now reports the request a week later: it leaves the first event for another.
    edit = {"b1": "Armenia asked Russia for military help on 20 September 2022."}
    changed = write_articles(tmp_path / "changed.jsonl", edits=edit)
    build([changed], store, BuildOptions(replace=True))
    assert layer_of(store) == clean_build(tmp_path, "clean-changed", everything, edit)

    assert remove_documents(store, ["c1", "no-such-document"]) == ["no-such-document"]
    kept = [doc for doc in everything if doc != "c1"]
    assert layer_of(store) == clean_build(tmp_path, "clean-removed", kept, edit)


def test_kg_remove_names_what_it_did_not_find(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    subprocess.run(["cp", "-r", str(built), str(copy)], check=True)
    done = subprocess.run(
        [sys.executable, "-m", "kg", "remove", "d1", "zz", "--store", str(copy)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "Removed 1 document(s)" in done.stdout
    assert done.stderr.strip().endswith("no document with id zz")
    reported_in = f"SELECT DISTINCT ?d WHERE {{ GRAPH <{LAYER.value}> {{ ?e gk:reportedIn ?d }} }}"
    before = {doc.rsplit("/", 1)[1] for (doc,) in rows(built, reported_in)}
    after = {doc.rsplit("/", 1)[1] for (doc,) in rows(copy, reported_in)}
    assert before - after == {"d1"}


# --- the clustering rules, on report records ---------------------------------------------


def report(iri: str, day: str | None, kind: str = "ASSAULT", actors=("A",), recipients=("B",),
           location: str | None = None, event_date: str | None = None) -> EventReport:  # fmt: skip
    source = Source(doc=f"doc-{iri}", language="en", published=day, outlet=None)
    return EventReport(
        iri, source, kind, tuple(actors), tuple(recipients), event_date, location, 0.5,
        negated=False, claimed=False, hypothetical=False,
    )  # fmt: skip


def grouped(reports: list[EventReport], window: int = 1) -> list[list[str]]:
    return [[r.iri for r in c.reports] for c in cluster_events(reports, window)]


def test_a_wars_daily_strikes_by_the_same_side_stay_separate_events() -> None:
    days = ["2024-03-01", "2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"]
    found = grouped([report(f"r{n}", f"{day}T09:00:00Z") for n, day in enumerate(days)])
    assert found == [["r0", "r1", "r2"], ["r3", "r4"], ["r5"]]


def test_a_clash_is_one_event_whichever_side_the_report_names_first() -> None:
    one = report("r1", "2024-03-01T09:00:00Z", actors=("A", "B"), recipients=())
    two = report("r2", "2024-03-01T11:00:00Z", actors=("B",), recipients=("A",))
    three = report("r3", "2024-03-01T11:00:00Z", kind="ACCUSE", actors=("B",), recipients=("A",))
    assert sorted(grouped([three, two, one])) == [["r1", "r2"], ["r3"]]


def test_reports_naming_different_places_are_different_events() -> None:
    reports = [
        report("r1", "2024-03-01T09:00:00Z", location="Gaza"),
        report("r2", "2024-03-01T10:00:00Z", location="Rafah"),
        report("r3", "2024-03-01T11:00:00Z", location="Gaza"),
        report("r4", "2024-03-01T12:00:00Z"),  # no place: joins the place most named
    ]
    assert grouped(reports) == [["r1", "r3", "r4"], ["r2"]]


def test_the_events_own_day_comes_before_the_publication_day() -> None:
    late = report("r1", "2024-03-09T09:00:00Z", event_date="2024-03-01")
    assert late.anchor == date(2024, 3, 1)
    assert grouped([late, report("r2", "2024-03-01T10:00:00Z")]) == [["r1", "r2"]]


def test_clusters_do_not_depend_on_the_order_of_the_reports() -> None:
    reports = [report(f"r{n}", f"2024-03-{1 + n % 5:02d}T09:00:00Z") for n in range(12)]
    assert (
        grouped(reports) == grouped(list(reversed(reports))) == grouped(reports[5:] + reports[:5])
    )


def test_facts_differing_only_in_detail_are_separate_facts_of_one_block() -> None:
    source = Source("doc", "en", None, None)
    facts = cluster_facts(
        [
            FactReport("f1", source, "MEMBER_OF", "Q28", "Q7184", "full", 0.9),
            FactReport("f2", source, "MEMBER_OF", "Q28", "Q7184", "former", 0.9),
            FactReport("f3", source, "MEMBER_OF", "Q28", "Q7184", "full", 0.9),
        ]
    )
    assert [(extra, [r.iri for r in found]) for (_, extra), found in facts.items()] == [
        ("former", ["f2"]),
        ("full", ["f1", "f3"]),
    ]
    assert len({block for block, _ in facts}) == 1


def test_nquads_dump_of_the_layer_parses(built: Path) -> None:
    dumped = OxStore.read_only(str(built)).dump(format=RdfFormat.N_QUADS, from_graph=LAYER)
    assert b"WorldEvent" in dumped


# --- exports read the layer ---------------------------------------------------------------


def export(store: Path, fmt: str, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "kg", "export", fmt, "--store", str(store), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_export_has_world_events_and_facts_and_links_reports_to_them(
    built: Path, tmp_path: Path
) -> None:
    out = export(built, "csv", tmp_path / "csv")
    requests = [
        row
        for row in csv_rows(out / "world_events.csv")
        if (row["event_type"], row["actor_qids"], row["recipient_qids"])
        == ("REQUEST", "Q399", "Q159")
    ]
    assert [(r["date"], r["reports"], r["doc_ids"], r["languages"]) for r in requests] == [
        ("2022-09-13", "3", "a1 b1 c1", "en fr"),
        ("2022-10-20", "1", "d1", "en"),
    ]
    reports = {
        row["doc_id"]: row["world_event_id"]
        for row in csv_rows(out / "events.csv")
        if row["event_type"] == "REQUEST"
    }
    assert reports["a1"] == reports["b1"] == reports["c1"] == requests[0]["world_event_id"]
    assert reports["d1"] == requests[1]["world_event_id"]

    memberships = {
        row["extra"]: row
        for row in csv_rows(out / "facts.csv")
        if (row["relation_type"], row["subject_qid"], row["object_qid"])
        == ("MEMBER_OF", "Q28", "Q7184")
    }
    assert set(memberships) == {"full", "former"}
    assert memberships["full"]["conflicts_with"] == memberships["former"]["fact_id"]
    assert (memberships["former"]["doc_ids"], memberships["former"]["reports"]) == ("m2", "1")


def test_plover_records_carry_their_world_event(built: Path, tmp_path: Path) -> None:
    out = export(built, "plover", tmp_path / "plover")
    records = [
        json.loads(line)
        for path in sorted(out.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    by_doc = {r["doc_id"]: r["world_event_id"] for r in records if r["event"] == "REQUEST"}
    assert by_doc["a1"] == by_doc["c1"] != by_doc["d1"]
    assert all(r["world_event_id"] for r in records)


# --- named queries answer from the layer and drill down to the evidence --------------------


def test_named_queries_answer_from_the_layer_and_drill_down_to_evidence(built: Path) -> None:
    from kg.queries import rows_as_dicts, run_query

    with Store.open(built, read_only=True) as store:
        events = rows_as_dicts(
            run_query(store, "world-events", {"type": "REQUEST", "minReports": "2"})
        )
        assert [(e["label"], e["reports"], e["languages"]) for e in events] == [
            ("REQUEST: Armenia -> Russia, 2022-09-13", "3", "en fr")
        ]
        of_armenia = rows_as_dicts(run_query(store, "world-events", {"state": "Q399"}))
        assert {e["typeCode"] for e in of_armenia} == {"REQUEST", "ACCUSE", "ASSAULT"}
        reports = rows_as_dicts(
            run_query(store, "world-event-reports", {"worldEvent": str(events[0]["worldEvent"])})
        )
        assert [(r["document"], r["evidence"]) for r in reports] == [
            ("a1", "Armenia asked Russia for military help."),
            ("b1", "Armenia asked Russia for military help on Tuesday."),
            ("c1", "L'Arménie a demandé l'aide militaire de la Russie."),
        ]
        facts = rows_as_dicts(run_query(store, "facts-about", {"entity": "Q28"}))
        assert sorted((f["detail"], f["reports"]) for f in facts) == [
            ("former", "1"),
            ("full", "1"),
        ]


def test_an_undated_report_joins_its_blocks_event_only_when_there_is_one() -> None:
    one = [report("r1", "2024-03-01T09:00:00Z"), report("r2", None)]
    assert grouped(one) == [["r1", "r2"]]
    two = [report("r1", "2024-03-01T09:00:00Z"), report("r3", "2024-04-01T09:00:00Z")]
    assert grouped([*two, report("r2", None)]) == [["r1"], ["r3"], ["r2"]]


# --- undated reports and hosted talks, through the store -----------------------------------

TALKS = [
    ("t1", "https://one.example/t1", "2025-04-12T10:00:00+00:00",
     "Iran and the United States held talks in Muscat, Oman."),
    ("t2", "https://two.example/t2", "2025-04-19T10:00:00+00:00",
     "Iran and the United States held talks in Rome, Italy."),
    # No publication date, none in the URL: only what it mentions places it.
    ("t3", "https://three.example/news/t3", None,
     "Iran and the United States held talks in Rome, Italy."),
    # No publication date but its URL's day; Oman named as the mediator.
    ("t4", "https://four.example/2025/04/19/t4", None,
     "Oman mediated talks between Iran and the United States."),
]  # fmt: skip

TALK_EVENTS = """
SELECT ?event ?date (GROUP_CONCAT(STR(?doc); separator=" ") AS ?docs) WHERE { GRAPH ?layer {
  ?event a gk:WorldEvent ; sem:eventType plover:CONSULT ; gk:actor wd:Q794 ; gk:actor wd:Q30 ;
         gk:reportedIn ?doc . OPTIONAL { ?event sem:hasTimeStamp ?date } } }
GROUP BY ?event ?date ORDER BY ?date
"""


def build_talks(tmp: Path, name: str, ids: list[str], options: BuildOptions | None = None) -> Path:
    path = tmp / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for doc_id, url, published, text in TALKS:
            if doc_id in ids:
                record = {"id": doc_id, "lang": "en", "url": url, "text": text}
                out.write(json.dumps({**record, "published": published} if published else record))
                out.write("\n")
    build([path], tmp / name, options or BuildOptions(describe=False))
    return tmp / name


def talk_events(store: Path) -> list[tuple[str, str]]:
    found = rows(store, TALK_EVENTS.replace("?layer", f"<{LAYER.value}>"))
    return [
        (date, " ".join(sorted(doc.rsplit("/", 1)[1] for doc in docs.split())))
        for _event, date, docs in found
    ]


def test_undated_and_hosted_reports_join_the_talks_their_documents_tell(tmp_path: Path) -> None:
    store = build_talks(tmp_path, "all", ["t1", "t2", "t3", "t4"])
    # t3 mentions Rome as t2 does; t4 is dated by its URL, Oman's mediation is the talks.
    assert talk_events(store) == [("2025-04-12", "t1"), ("2025-04-19", "t2 t3 t4")]


def test_attaching_undated_reports_keeps_the_layer_a_function_of_the_documents(
    tmp_path: Path,
) -> None:
    everything = ["t1", "t2", "t3", "t4"]
    store = build_talks(tmp_path, "growing", ["t1", "t3", "t4"])
    # Without t2 nothing tells t3's talks from the others: an event of its own, undated.
    assert talk_events(store) == [("", "t3"), ("2025-04-12", "t1"), ("2025-04-19", "t4")]
    build_talks(tmp_path, "growing", everything)  # adds t2: t3's block is recomputed
    assert layer_of(store) == layer_of(build_talks(tmp_path, "clean", everything))
    assert remove_documents(store, ["t2"]) == []
    assert layer_of(store) == layer_of(build_talks(tmp_path, "clean-less", ["t1", "t3", "t4"]))
    one_by_one = build_talks(
        tmp_path, "one-by-one", everything, BuildOptions(batch_size=1, workers=2, describe=False)
    )
    assert layer_of(one_by_one) == layer_of(tmp_path / "clean")


def mentioning(iri: str, day: str | None, mentions: tuple[str, ...], url: str | None = None,
               kind: str = "CONSULT", actors=("A", "B"), recipients=()) -> EventReport:  # fmt: skip
    source = Source(f"doc-{iri}", "en", day, None, url=url, mentions=("A", "B", *mentions))
    return EventReport(
        iri, source, kind, tuple(actors), tuple(recipients), None, None, 0.5,
        negated=False, claimed=False, hypothetical=False,
    )  # fmt: skip


def test_an_undated_report_joins_the_event_its_document_shares_most_context_with() -> None:
    dated = [
        mentioning("r1", "2025-04-12T09:00:00Z", ("Muscat", "Oman")),
        mentioning("r2", "2025-04-19T09:00:00Z", ("Rome", "Italy", "Oman")),
    ]
    # Oman is named by both: only Rome tells them apart.
    assert grouped([*dated, mentioning("u", None, ("Rome", "Oman"))]) == [["r1"], ["r2", "u"]]
    # Nothing telling, or as much for each: an undated group of its own.
    assert grouped([*dated, mentioning("u", None, ("Oman",))]) == [["r1"], ["r2"], ["u"]]
    even = [
        mentioning("r1", "2025-04-12T09:00:00Z", ("Muscat", "Oman")),
        mentioning("r2", "2025-04-19T09:00:00Z", ("Rome", "Italy")),
    ]
    tie = mentioning("u", None, ("Muscat", "Rome"))
    assert grouped([*even, tie]) == [["r1"], ["r2"], ["u"]]
    # A URL filed under a month leaves only that month's events (or the month before's).
    later = mentioning("r3", "2025-06-02T09:00:00Z", ("Rome", "Italy"))
    filed = mentioning("u", None, ("Rome",), url="https://x.example/2025/06/talks")
    assert grouped([*dated, later, filed]) == [["r1"], ["r2"], ["r3", "u"]]
    elsewhen = mentioning("u", None, ("Rome",), url="https://x.example/2024/01/talks")
    assert grouped([*dated, elsewhen]) == [["r1"], ["r2"], ["u"]]


def test_undated_reports_are_placed_from_the_dated_ones_alone_whatever_their_order() -> None:
    dated = [
        mentioning("r1", "2025-04-12T09:00:00Z", ("Muscat",)),
        mentioning("r2", "2025-04-19T09:00:00Z", ("Rome",)),
    ]
    # u1 joins r2 through Rome; u2 shares only X with u1, which is no dated report's.
    u1, u2 = mentioning("u1", None, ("Rome", "X")), mentioning("u2", None, ("X",))
    expected = [["r1"], ["r2", "u1"], ["u2"]]
    assert grouped([*dated, u1, u2]) == expected
    assert grouped([u2, u1, *reversed(dated)]) == expected


def test_a_host_or_mediator_of_talks_is_not_a_side_of_them() -> None:
    bilateral = mentioning("r1", "2025-04-12T09:00:00Z", (), actors=("A", "B"))
    hosted = mentioning("r2", "2025-04-12T09:00:00Z", (), actors=("Host",), recipients=("A", "B"))
    witnessed = mentioning("r3", "2025-04-12T09:00:00Z", (), actors=("A", "B"), recipients=("W",))
    assert grouped([bilateral, hosted, witnessed]) == [["r1", "r2", "r3"]]
    # An attack on two states is not hosted by its attacker; nor is a party its own host.
    day = "2025-04-12T09:00:00Z"
    attack = mentioning("r4", day, (), kind="ASSAULT", actors=("X",), recipients=("A", "B"))
    clash = mentioning("r5", day, (), kind="ASSAULT", actors=("A", "B"))
    assert sorted(grouped([attack, clash])) == [["r4"], ["r5"]]
    party = mentioning("r6", "2025-04-12T09:00:00Z", (), actors=("A",), recipients=("A", "B"))
    assert [len(c.reports) for c in cluster_events([bilateral, party])] == [2]


def test_a_date_in_the_url_path_dates_a_report_without_a_publication_date() -> None:
    assert url_date("https://x.example/2024/06/20/story") == (date(2024, 6, 20), (2024, 6))
    assert url_date("https://x.example/news/2024-06-20/article/1") == (date(2024, 6, 20), (2024, 6))
    assert url_date("https://x.example/noticias/20260206/slug.html") == (
        date(2026, 2, 6),
        (2026, 2),
    )
    assert url_date("https://x.example/2024/08/slug.html") == (None, (2024, 8))
    assert url_date("https://x.example/2024/13/45/x") == (None, None)
    assert url_date("https://x.example/news/1733933860.html") == (None, None)
    undated = mentioning("u", None, (), url="https://x.example/2025/04/13/talks")
    assert undated.anchor == date(2025, 4, 13)
    published = mentioning("p", "2025-04-12T09:00:00Z", (), url="https://x.example/2025/04/13/t")
    assert published.anchor == date(2025, 4, 12)  # the stored publication time comes first
