"""Bound query parameters written into the query as constants, so that Oxigraph plans with them.

Oxigraph's ``substitutions`` join the bound values with the query's result: every subquery
is evaluated for all values first and the pattern that holds the parameter is planned as if
it were unbound (``facts-about`` for one entity: 1.2 s with a substitution on 10,000 bench
documents, 0.02 s with the entity written in). Here each occurrence of a bound variable in
a graph pattern or expression is replaced by the term itself, as SEP-0007's substitution
does, in its N-Triples form from pyoxigraph: an IRI is validated when the ``NamedNode`` is
made (no ``>``, space or quote can be in it) and a literal's text is escaped, so a value is
one term whatever it holds, as in the server's ``VALUES`` block.

Left as variables: the projection (``SELECT ?entity``) and ``GROUP BY`` / ``ORDER BY``, where
SPARQL takes no constant; the caller fills the projected column with the bound value. A
query this cannot rewrite safely (a bound variable inside a projection's expression, or
under ``BOUND()``, which takes variables only) gets ``None``, and the caller falls back to
substitutions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyoxigraph import Literal, NamedNode

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_VAR = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"",
    re.S,
)
# Keywords after which variables are names of columns or sort keys, up to the next group.
_PROTECTING = {"SELECT", "GROUP", "ORDER"}
_ENDING = {"WHERE", "LIMIT", "OFFSET", "VALUES", "HAVING"}


def inline_bindings(sparql: str, bindings: Mapping[str, object]) -> str | None:
    """``sparql`` with each bound variable written as its term, or None if it cannot be
    (no bindings, or one that is not an IRI or a literal)."""
    if not bindings or not all(isinstance(t, NamedNode | Literal) for t in bindings.values()):
        return None
    out: list[str] = []
    protected = False  # in a projection or GROUP BY / ORDER BY
    depth = 0  # parentheses within it
    last_word = ""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            end = n if end < 0 else end
            out.append(sparql[i:end])
            i = end
            continue
        if c in "\"'":
            match = _STRING.match(sparql, i)
            if match is None:
                return None
            out.append(match.group())
            i = match.end()
            continue
        if c == "<":
            match = _IRI.match(sparql, i)
            if match is not None:
                out.append(match.group())
                i = match.end()
                continue
        if c in "?$":
            match = _VAR.match(sparql, i)
            if match is not None:
                name = match.group(1)
                term = bindings.get(name)
                if term is None:
                    out.append(match.group())
                elif protected and depth == 0:
                    out.append(match.group())  # a column or sort key: left as it is
                elif protected or last_word == "BOUND":
                    return None  # in a projected expression, or under BOUND()
                else:
                    out.append(str(term))
                i = match.end()
                last_word = ""
                continue
        if c.isalpha() or c == "_":
            match = _WORD.match(sparql, i)
            assert match is not None
            word = match.group().upper()
            if i > 0 and sparql[i - 1] == ":":
                pass  # a prefixed name's local part (gk:order), not a keyword
            elif word in _PROTECTING:
                protected, depth = True, 0
            elif word in _ENDING:
                protected = False
            last_word = word
            out.append(match.group())
            i = match.end()
            continue
        if c in "{}":
            protected = False
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if not c.isspace() and c != "(":
            last_word = ""
        out.append(c)
        i += 1
    return "".join(out)


__all__ = ["inline_bindings"]
