"""PLOVER events from trigger words: who did what to whom, in which mode.

For each trigger the lexicon gives a type, a default mode/context and a
*voice* that says where the roles stand (see ``lexicon.Trigger``).  Roles are
filled from the sentence's participants: a coordinated group of names is one
role ("Niger, Mali, dan Burkina Faso"), a person acts as the state or body
they hold a post in, a speaker's "we" as the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extraction.lexicon import Lexicon, TermMatch, Terms, Trigger
from kg.extraction.participants import (
    Participant,
    coordinated_groups,
    first_coordinated_group,
    gap_with_clitic,
    last_coordinated_group,
    refs_of,
)
from kg.gazetteer.normalize import MARKS, UNSPACED
from kg.model import SYMMETRIC_TYPES, Event, Span

# Types whose sides are all actors (FORMAT.md compares them unordered).
SYMMETRIC_VOICES = frozenset({"symmetric"})

ACTOR_TYPES = frozenset({"state", "organization", "alliance", "armed_forces", "generic"})
RECIPIENT_TYPES = ACTOR_TYPES | {"region"}
# A territory can be attacked, seized, entered or backed; it cannot be asked,
# accused or agreed with ("keluar dari ... Afrika Barat (ECOWAS)").
TERRITORY_RECIPIENT = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "SUPPORT", "AID", "THREATEN"})
# Alliances sign, meet and mediate, but news rarely has one trade fire.
SIDE_TYPES = {"ASSAULT": ACTOR_TYPES - {"alliance"}}
# Events that need no recipient: a protest, a mobilisation, an attack on an unnamed
# village, a withdrawal.  For the other types an event whose recipient the text
# leaves implicit is not emitted: on the dev set such events were wrong far more
# often than right.
ONE_SIDED_TYPES = frozenset({"PROTEST", "MOBILIZE", "RETREAT"})
# The trained detector has seen one-sided attacks and arrests in real news: where it
# finds one, the event stands without a recipient too.
DETECTED_ONE_SIDED = ONE_SIDED_TYPES | {"ASSAULT", "COERCE"}
RECIPIENT_BEFORE_ACTOR = frozenset({"REJECT"})
# After "accused X of ...", "asked X to ..." what follows is the reported
# content, whose verbs have their own subjects: none is inherited.
REPORTING_TYPES = frozenset({"ACCUSE", "REQUEST", "THREATEN", "PROTEST"})
# Voices a passive frame can turn around ("was rejected by", "تعرضت ... لهجوم من قبل").
PASSIVE_ABLE = frozenset({"active", "nominal"})
# Acts done together: "X and Y signed", "X und Y arbeiten zusammen" need no recipient.
JOINT_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# Events whose object is another act: what follows them closely is content.
GOVERNING_TYPES = frozenset({"REQUEST", "THREATEN", "REJECT", "AGREE", "ACCUSE"})
COMPLEMENT_REACH = 60
NOUN_COMPLEMENT_REACH = 12  # verb-final: "Sanktionen gedroht"
NOUN_GOVERNORS = frozenset({"THREATEN", "REQUEST", "REJECT", "ACCUSE"})
PARTNER_REACH = 45  # "bentrok dengan pasukan Azerbaijan": the other side follows closely
RECIPIENT_REACH = 60  # "meminta bantuan ... dari CSTO": a recipient follows closely
# "ditolak Israel", "rejected by Israel", "le soutien de plusieurs pays, notamment la France"
AGENT_REACH = 50
MODALITY_REACH = 32  # "would", "akan", "not" must stand this close before the trigger
AFTER_REACH = 8  # a negation after its verb ("하지 않았다") starts this close after it
MODE_CUE_REACH = 40


# Roles and sentence contexts are not frozen (nothing sets a field all the same):
# a frozen dataclass is built four times slower, and each trigger builds a context.
@dataclass(slots=True)
class Roles:
    actor: list[str]
    recipient: list[str]
    persons: list[str]


@dataclass(slots=True)
class SentenceContext:
    span: Span  # its text is the sentence: term scans are cached by that string
    text: str  # whole document text
    participants: list[Participant]  # role fillers, modifiers already removed
    date: str | None
    names: tuple[tuple[int, int], ...] = ()  # spans of entity names (no triggers inside)
    places: tuple[str, ...] = ()  # refs named after "in"/"di": where, not who
    topic_org: str | None = None  # the organization the document has named most so far
    # Names after "in"/"en"/"в": where a force is sent to ("envoyer une mission en Arménie").
    destinations: tuple[Participant, ...] = ()


def sentence_events(ctx: SentenceContext, lex: Lexicon) -> list[Event]:
    """Every event a trigger in the sentence signals, with its roles filled."""
    if lex.triggers is None:
        return []
    local = ctx.span.text
    events: list[Event] = []
    previous: Roles | None = None
    previous_type = ""
    governors: list[TermMatch[Trigger]] = []
    last_event_end = ctx.span.start
    matches = lex.triggers.finditer(local)
    for match in matches:
        trigger = match.value
        start, end = ctx.span.start + match.start(), ctx.span.start + match.end()
        if _inside_name(ctx, start, end):  # "Shanghai Cooperation Organisation"
            continue
        # Roles are sought from the first word on: a separable verb's object
        # stands inside the match ("lehnt den Antrag Schwedens ab").
        end = start + len(match.group().split()[0])
        voice = _effective_voice(trigger, local, match, lex)
        if "passive" not in voice and _is_complement(match, governors, local, lex):
            continue  # "rejected a US offer to host a summit": one event, REJECT
        if _governed_from_before(match, matches, local, lex):
            continue  # "saldırmakla tehdit etti": the threat, not an attack
        clause = _clause(_with_destinations(ctx, trigger.type, lex), local, match, lex)
        agent = _passive_agent(clause, local, match, lex) if voice in PASSIVE_ABLE else None
        if agent:
            roles = _passive_roles(clause, agent, start, end, lex)
        else:
            roles = assign_roles(
                clause, start, end, voice, lex, ctx, trigger.type, floor=last_event_end
            )
        if (
            roles is None
            and voice == "active"
            and trigger.type in JOINT_TYPES
            and not _near_end(lex.words("modality.negation"), local, match.start())
        ):
            roles = _joint_actors(clause, start, end, lex)
        inherit = previous is not None and previous_type not in REPORTING_TYPES
        if roles is None and inherit and voice == "active" and previous is not None:
            roles = _elided_subject(clause, start, end, previous, lex)
        if roles is None and trigger.type == "REJECT" and previous_type == "ACCUSE":
            roles = _denial(clause, start, previous, lex)
        if roles is None and trigger.type in ("REQUEST", "AGREE"):
            roles = _membership_request(clause, local, match, start, end, lex)
        if roles is None:
            continue
        roles = _plausible_sides(clause, trigger.type, roles)
        if roles is None:
            continue
        previous, previous_type = roles, trigger.type
        last_event_end = ctx.span.start + match.end()
        events.append(_event(ctx, lex, trigger, match, roles))
        if trigger.type in GOVERNING_TYPES:
            governors.append(match)
    return _without_mediator_talks(events)


def _without_mediator_talks(events: list[Event]) -> list[Event]:
    """ "X and Y act as observers in the talks": the talks are between others,
    not between the two mediators."""
    mediators = [set(e.actor) for e in events if e.mode == "third-party"]
    if not mediators:
        return events
    return [
        e
        for e in events
        if not (
            e.type == "CONSULT"
            and e.mode != "third-party"
            and any(set(e.actor) | set(e.recipient) <= m for m in mediators)
        )
    ]


def _event(
    ctx: SentenceContext, lex: Lexicon, trigger: Trigger, match: TermMatch[Trigger], roles: Roles
) -> Event:
    local = ctx.span.text
    mode, context = _refine_mode(trigger, local, (match.start(), match.end()), lex)
    at = match.start()
    modality = lex.raw.get("modality", {})
    affixed = "negation_affix" in modality or "hypothetical_affix" in modality
    word = _word_at(local, at) if affixed else ""
    negated = (
        _near_end(lex.words("modality.negation"), local, at)
        or _affix(lex, "modality.negation_affix", word)
        or _right_after(lex.words("modality.negation_after"), local, match.end())
    )
    event_type = trigger.type
    not_yet = _near_end(lex.words("modality.not_yet"), local, at)
    if event_type == "AGREE" and negated and not not_yet:
        # "will not sign", "refused to ratify": a refusal is PLOVER REJECT
        # ("not yet ratified" is only pending: it stays a negated AGREE).
        event_type, negated, mode = "REJECT", False, None
    return Event(
        type=event_type,
        mode=mode,
        context=list(context),
        actor=roles.actor,
        recipient=roles.recipient,
        date=ctx.date,
        negated=negated,
        score=trigger.score,
        evidence=ctx.span,
        hypothetical=_near_end(lex.words("modality.hypothetical"), local, at)
        or _affix(lex, "modality.hypothetical_affix", word),
        claimed=_near_end(lex.words("modality.claimed"), local, at, reach=at),
        actor_persons=roles.persons,
        location=ctx.places[0] if ctx.places else None,
        anchor=ctx.span.start + at,
    )


_WORD_AT = re.compile(r"[\w'’]*")


def _word_at(local: str, at: int) -> str:
    """The whole word that starts at ``at`` (a trigger's stem with its endings)."""
    match = _WORD_AT.match(local, at)
    return match.group() if match else ""


def _affix(lex: Lexicon, name: str, word: str) -> bool:
    """Whether ``word`` as a whole has one of the forms of list ``name``: the
    negative or future of an agglutinating verb ("saldırmadı", "ستهاجم")."""
    if not word:
        return False
    pattern = _affix_forms(lex, name)
    if pattern is None:
        return False  # the language has no such list
    return any(m.start() == 0 and m.end() == len(word) for m in pattern.finditer(word))


def _affix_at(lex: Lexicon, name: str, local: str, at: int) -> bool:
    """``_affix`` for the word starting at ``at``, read only in a language that has
    list ``name`` (most have no such forms)."""
    return _affix_forms(lex, name) is not None and _affix(lex, name, _word_at(local, at))


def _affix_forms(lex: Lexicon, name: str) -> Terms | None:
    """The forms of list ``name`` as an index of their own (None: no such list)."""
    key = f"affix:{name}"
    found = lex.word_lists.get(key)
    if found is None and key not in lex.word_lists:
        found = lex.words_for(key, lex.terms(name))
    return found


def _is_complement(
    match: TermMatch[Trigger], governors: list[TermMatch[Trigger]], local: str, lex: Lexicon
) -> bool:
    """Whether a trigger only says what an earlier one demanded, threatened,
    refused, agreed to or alleged ("threatened to cut off electricity"): PLOVER
    codes the governing act, not its content."""
    breaks = lex.words("clause_breaks")
    for governor in governors:
        gap = local[governor.end() : match.start()]
        if len(gap) > COMPLEMENT_REACH or any(mark in gap for mark in ",;–—،؛"):
            continue  # ", which Yerevan denied": a new clause, not the content
        if not _near_end(breaks, local, match.start(), reach=len(gap)):
            return True
    return False


def _governed_from_before(
    match: TermMatch[Trigger], matches: list[TermMatch[Trigger]], local: str, lex: Lexicon
) -> bool:
    """Verb-final languages put the content before the governing verb: a
    non-finite form ("saldırmakla", "saldırmasını") closely followed by a
    threat, request or refusal is that act's content."""
    if lex.raw.get("word_order") != "SOV" or match.value.type in GOVERNING_TYPES:
        return False
    nonfinite = _affix_at(lex, "nonfinite_affix", local, match.start())
    links = lex.words("coordination")
    for other in matches:
        if other.start() < match.end() or other.value.type not in GOVERNING_TYPES:
            continue
        gap = local[match.end() : other.start()]
        if any(mark in gap for mark in ",;") or (links is not None and links.search(gap)):
            return False  # "saldırdı ve ... reddetti": two acts
        if nonfinite:
            return len(gap) <= COMPLEMENT_REACH
        # "mit Sanktionen gedroht", "um Hilfe gebeten": a noun right before the verb
        return len(gap) <= NOUN_COMPLEMENT_REACH and other.value.type in NOUN_GOVERNORS
    return False


def _membership_request(
    clause: SentenceContext,
    local: str,
    match: TermMatch[Trigger],
    start: int,
    end: int,
    lex: Lexicon,
) -> Roles | None:
    """ "Iran ... applied for full membership", "Belarus is to sign a memorandum on
    accession": the request or agreement is with the organization the document is
    about, when the sentence does not name it."""
    mode, _ = _refine_mode(match.value, local, (match.start(), match.end()), lex)
    if mode != "membership" or clause.topic_org is None:
        return None
    actor_group = _last_group(clause, [p for p in clause.participants if p.end <= start], lex)
    actors = [r for r in refs_of(actor_group) if r != clause.topic_org]
    if not actors:
        return None
    return Roles(actors, [clause.topic_org], [p.person for p in actor_group if p.person])


def _inside_name(ctx: SentenceContext, start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in ctx.names)


def _denial(
    clause: SentenceContext, start: int, previous: Roles | None, lex: Lexicon
) -> Roles | None:
    """ "X accused Y ...; Y denied it": the accused rejects the accuser."""
    if previous is None:
        return None
    group = _last_group(clause, [p for p in clause.participants if p.end <= start], lex)
    deniers = refs_of(_actors_only(group))
    if not deniers or not set(deniers) <= set(previous.recipient):
        return None
    return Roles(deniers, list(previous.actor), [p.person for p in group if p.person])


def _joint_actors(clause: SentenceContext, start: int, end: int, lex: Lexicon) -> Roles | None:
    """ "Deutschland und Frankreich unterzeichneten ...", "وقعت مصر والسعودية ...": a
    coordinated group of two or more acts jointly (after the verb in VSO)."""
    before = [p for p in clause.participants if p.end <= start]
    group = _last_group(clause, before, lex)
    if not group and str(lex.raw.get("word_order")) == "VSO":
        after = [p for p in clause.participants if 0 <= p.start - end <= PARTNER_REACH]
        group = _first_group(clause, [p for p in after if p.type in ACTOR_TYPES], lex)
    actors = refs_of(_actors_only(group))
    if len(actors) < 2:
        return None
    return Roles(actors, [], [p.person for p in group if p.person])


def _passive_agent(
    clause: SentenceContext, local: str, match: TermMatch[Trigger], lex: Lexicon
) -> list[Participant]:
    """The agent of a passive, wherever the language puts it: "rejected by X",
    "تم رفض ... من قبل X" (after the verb), "wurde von X abgelehnt" (before it),
    "X tarafından reddedildi" (a postposition), "отклонено Венгрией" (a passive
    participle with its agent right after).  Empty when the verb is not passive."""
    base = clause.span.start
    t_start, t_end = match.start(), match.end()
    agent = lex.words("voice.agent")
    aux = lex.words("voice.passive_aux")
    # "تعرضت أوكرانيا لهجوم": a verb of undergoing before an event noun
    framed = _near_end(lex.words("voice.passive_frames"), local, t_start, reach=30)
    if match.value.voice == "nominal" and not framed:
        return []
    post = lex.words("voice.agent_postposition")
    agents = [
        m
        for m in (agent.finditer(local) if agent is not None and aux is not None else [])
        if t_start - 30 <= m.start() <= t_end + AGENT_REACH
    ]
    posts = [
        m
        for m in (post.finditer(local) if post is not None else [])
        if t_start - 30 <= m.start() < t_start
    ]
    participle = not agents and not posts and _affix_at(lex, "voice.passive_affix", local, t_start)
    if not agents and not posts and not participle:
        return []  # no agent word and no passive form: an active verb
    groups = coordinated_groups(
        [p for p in clause.participants if p.type in ACTOR_TYPES], clause.text, lex
    )
    if agent is not None and aux is not None:
        aux_right_before = framed or _near_end(aux, local, t_start, reach=14)
        for m in agents:
            after_agent = [g for g in groups if 0 <= g[0].start - (base + m.end()) <= 8]
            if not after_agent:
                continue
            if aux_right_before and t_end <= m.start() <= t_end + AGENT_REACH:
                return after_agent[0]
            ahead = after_agent[0][-1].end <= base + t_start
            if ahead and t_start - m.end() <= 30 and _near_end(aux, local, m.start(), m.start()):
                return after_agent[0]
    if post is not None:
        for m in posts:
            if m.end() <= t_start and t_start - m.end() <= 25:
                ending = [g for g in groups if 0 <= base + m.start() - g[-1].end <= 3]
                if ending:
                    return ending[-1]
    if participle or _affix_at(lex, "voice.passive_affix", local, t_start):
        following = [g for g in groups if 0 <= g[0].start - (base + t_end) <= 3]
        if following:
            return following[0]
    return []


def _passive_roles(
    clause: SentenceContext, agent: list[Participant], start: int, end: int, lex: Lexicon
) -> Roles | None:
    """Roles of a passive: the agent acts on what was named before the verb, or
    (verb-first) on what follows it."""
    others = _others([p for p in clause.participants if p not in agent], agent)
    recipient = _last_group(clause, [p for p in others if p.end <= start], lex, RECIPIENT_TYPES)
    if not recipient:
        recipient = _first_group(clause, [p for p in others if p.start >= end], lex)
    return _roles(agent, recipient)


def _elided_subject(
    clause: SentenceContext, start: int, end: int, previous: Roles, lex: Lexicon
) -> Roles | None:
    """ "ECOWAS imposed sanctions ... but later lifted them": the subject carries over."""
    if any(p.end <= start and p.type in ACTOR_TYPES for p in clause.participants):
        return None
    after = [p for p in clause.participants if p.start >= end and p.start - end <= RECIPIENT_REACH]
    group = _first_group(clause, _others(after, []), lex)
    recipients = [r for r in refs_of(group) if r not in previous.actor] or previous.recipient
    if not recipients:
        return None
    return Roles(previous.actor, recipients, previous.persons)


def _effective_voice(trigger: Trigger, local: str, match: TermMatch[Trigger], lex: Lexicon) -> str:
    """An active verb in a passive frame ("was rejected by X") reads as passive."""
    if trigger.voice not in ("active", "mediation"):
        return trigger.voice
    aux = lex.words("voice.passive_aux")
    agent = lex.words("voice.agent")
    if aux is None or agent is None:
        return trigger.voice
    agent_follows = any(
        match.end() <= m.start() and m.end() <= match.end() + 12 for m in agent.finditer(local)
    )
    if agent_follows and _near_end(aux, local, match.start(), reach=14):
        return "passive" if trigger.voice == "active" else "mediation-passive"
    return trigger.voice


def _clause(
    ctx: SentenceContext, local: str, match: TermMatch[Trigger], lex: Lexicon
) -> SentenceContext:
    """The trigger's clause: roles do not cross "setelah", "after", "because", ";"..."""
    breaks = lex.words("clause_breaks")
    if breaks is None:
        return ctx
    left, right = 0, len(local)
    for brk in breaks.finditer(local):
        if local[brk.end() : brk.end() + 6].strip()[:1].isdigit():
            continue  # "since 2005", "after 15 years": a preposition, not a new clause
        if brk.end() <= match.start():
            left = brk.end()
        elif brk.start() >= match.end():
            right = brk.start()
            break
    lo, hi = ctx.span.start + left, ctx.span.start + right
    inside = [p for p in ctx.participants if p.start >= lo and p.end <= hi]
    return SentenceContext(
        ctx.span, ctx.text, inside, ctx.date, ctx.names, ctx.places, ctx.topic_org
    )


# Events whose recipient a language may name as a place: troops sent "en Arménie".
DESTINATION_TYPES = frozenset({"MOBILIZE", "AID"})


def _with_destinations(ctx: SentenceContext, event_type: str, lex: Lexicon) -> SentenceContext:
    """For a deployment or delivery, places count as who receives it -- in languages
    whose place prepositions also say where to ("en Arménie", "в Армению", "nach")."""
    if event_type not in DESTINATION_TYPES or not ctx.destinations:
        return ctx
    if not lex.raw.get("places_are_destinations"):
        return ctx
    people = sorted(ctx.participants + list(ctx.destinations), key=lambda p: p.start)
    return SentenceContext(
        ctx.span, ctx.text, people, ctx.date, ctx.names, ctx.places, ctx.topic_org
    )


def assign_roles(
    ctx: SentenceContext,
    start: int,
    end: int,
    voice: str,
    lex: Lexicon,
    whole: SentenceContext | None = None,
    event_type: str = "",
    floor: int = 0,
) -> Roles | None:
    """Actor and recipient refs for a trigger at [start, end), or None if unfillable.

    ``ctx`` holds the trigger's clause; ``whole`` the sentence, where mediation
    looks for the sides and symmetric events for a "both countries" group.
    """
    whole = whole or ctx
    usable = [
        p for p in ctx.participants if p.type != "region" or event_type in TERRITORY_RECIPIENT
    ]
    before = [p for p in usable if p.end <= start]
    after = [p for p in usable if p.start >= end]
    if voice == "symmetric":
        sides = SIDE_TYPES.get(event_type, ACTOR_TYPES)
        before = [p for p in before if p.type in sides]
        after = [p for p in after if p.type in sides]
        return _symmetric(ctx, before, after, end, lex) or _sentence_group(whole, start)
    if voice in ("mediation", "mediation-passive", "mediation-passive-lex"):
        return _mediation(whole, before, after, (start, end), voice != "mediation", lex)
    marked = _marked_roles(ctx, before, lex, voice, floor) if voice in CASE_VOICES else None
    if marked is not None:
        actor_group, recipient_group = marked
    elif voice == "passive":
        actor_group = _group_right_after(ctx, after, end, lex, AGENT_REACH)
        recipient_group = _last_group(ctx, _others(before, actor_group), lex, RECIPIENT_TYPES)
    elif voice == "nominal" and (actor_group := _group_right_after(ctx, after, end, lex, 12)):
        # "invasi Rusia ke Ukraina": the recipient belongs to the same phrase.
        stop = ctx.text.find(",", actor_group[-1].end, ctx.span.end)
        stop = ctx.span.end if stop < 0 else stop
        rest = [p for p in after if actor_group[-1].end <= p.start < stop]
        recipient_group = _first_group(ctx, _others(rest, actor_group), lex)
    else:
        verb_final = voice != "nominal"  # a noun's arguments never precede it both
        actor_group, recipient_group = _active_roles(
            ctx, before, after, end, lex, verb_final, floor
        )
        if not recipient_group and event_type in RECIPIENT_BEFORE_ACTOR and actor_group:
            # "Baku accused Yerevan, which Yerevan denied": what is denied is
            # the claim of whoever was named before the denier.
            earlier = [p for p in before if p.end <= actor_group[0].start]
            recipient_group = _last_group(ctx, _others(earlier, actor_group), lex)
    return _roles(actor_group, recipient_group, event_type in ONE_SIDED_TYPES)


# Voices whose sides a language's case markers can tell (``case_markers`` in its lexicon).
CASE_VOICES = frozenset({"active", "passive"})
MARKER_GAP = 1  # spaces allowed between a name and its marker ("भारत ने")


def _marked_roles(
    ctx: SentenceContext, before: list[Participant], lex: Lexicon, voice: str, floor: int
) -> tuple[list[Participant], list[Participant]] | None:
    """The sides of a verb-final clause whose names carry case markers (Japanese は/が,
    を/に; Korean 은/는/이/가, 을/를/에게; Hindi ने, को), read from the markers, not from
    the order of the names: the subject acts (in a passive, the agent does, and the
    subject undergoes), the object receives.  Without a marked subject, the nearest
    unmarked name before the object acts (Persian marks only its object, with را).
    None -- the order of the names decides -- where the language has no markers or
    no object (in a passive, no agent) is marked."""
    markers = lex.raw.get("case_markers")
    if not markers:
        return None
    own = [p for p in before if p.type in RECIPIENT_TYPES and p.start >= floor]
    groups = coordinated_groups(own, ctx.text, lex)
    roles = [_case_of(ctx.text, group, markers) for group in groups]
    if not any(roles):
        return None
    subject = _last_with(groups, roles, "subject")
    obj = _last_with(groups, roles, "object", excluding=subject)
    agent = _last_with(groups, roles, "agent", excluding=subject)
    if voice == "passive" or agent is not None:  # "X被Y扣押": a marked agent makes it one
        if agent is None:
            return None
        return agent, subject or _unmarked_before(groups, roles, agent) or []
    if obj is None:
        return None  # no object marked: the order of the names says more
    subject = subject or _unmarked_before(groups, roles, obj)
    if subject is None or not _actors_only(subject):
        return None
    return subject, obj


def _unmarked_before(
    groups: list[list[Participant]], roles: list[str | None], marked: list[Participant]
) -> list[Participant] | None:
    """The nearest group without a marker before a marked one: the side the language
    leaves bare (the Persian subject before its را object, the patient before 被)."""
    pairs = zip(groups, roles, strict=True)
    unmarked = [g for g, r in pairs if r is None and g[-1].end <= marked[0].start]
    return unmarked[-1] if unmarked else None


def _case_of(text: str, group: list[Participant], markers: dict[str, list[str]]) -> str | None:
    """The case a marker gives a group of names ("subject", "object", "agent"): a
    particle its last mention ends with (Korean "북한은", matched with its particle) or
    one right after it ("北朝鮮は", "भारत ने"), else a preposition right before its first
    ("被警方", "对俄罗斯", "توسط پلیس": lists named ``<case>_before``); the longest
    marker wins, and one in a spaced script must be a word of its own ("नेता", leader,
    is no "ने")."""
    last, first = group[-1], group[0]
    written = text[last.start : last.end]
    following = _within_gap(text[last.end : last.end + 24])
    preceding = _within_gap(text[max(first.start - 24, 0) : first.start][::-1])[::-1]
    best: tuple[int, str] | None = None
    for case, words in markers.items():
        preposed = case.endswith(_BEFORE)
        for word in words:
            if preposed:
                found = _ends_word(preceding, word)
            else:
                fused_in_name = written.endswith(word) and len(written) > len(word)
                found = fused_in_name or _starts_word(following, word)
            if found and (best is None or len(word) > best[0]):
                best = (len(word), case.removesuffix(_BEFORE))
    return best[1] if best else None


_BEFORE = "_before"  # marker lists that stand before the name (prepositions)


def _within_gap(text: str) -> str:
    """``text`` past the spaces at its start, or nothing if they are more than
    ``MARKER_GAP``: a marker belongs to the name next to it."""
    stripped = text.lstrip(" ")
    return stripped if len(text) - len(stripped) <= MARKER_GAP else ""


def _ends_word(text: str, word: str) -> bool:
    """Whether ``text`` ends with ``word`` as a word of its own (any end in Han)."""
    if not text.endswith(word):
        return False
    before = text[-len(word) - 1 : -len(word)]
    return UNSPACED.match(word[0]) is not None or not (before.isalnum() or before in MARKS)


def _starts_word(text: str, word: str) -> bool:
    """Whether ``text`` begins with ``word`` as a word of its own (in Han or kana, any
    start will do: nothing separates words there)."""
    if not text.startswith(word):
        return False
    after = text[len(word) : len(word) + 1]
    return UNSPACED.match(word[-1]) is not None or not (after.isalnum() or after in MARKS)


def _last_with(
    groups: list[list[Participant]],
    roles: list[str | None],
    case: str,
    excluding: list[Participant] | None = None,
) -> list[Participant] | None:
    found = [g for g, r in zip(groups, roles, strict=True) if r == case and g is not excluding]
    return found[-1] if found else None


def _active_roles(
    ctx: SentenceContext,
    before: list[Participant],
    after: list[Participant],
    end: int,
    lex: Lexicon,
    verb_final: bool = True,
    floor: int = 0,
) -> tuple[list[Participant], list[Participant]]:
    """Actor and recipient of an active verb, by the language's word order.

    SVO (default): "Azerbaijan accused Armenia".  SOV (Turkish): both stand
    before the verb, the actor first ("Azerbaycan Ermenistan'ı suçladı").
    VSO (Arabic, when nothing precedes): "اتهمت أذربيجان أرمينيا".
    """
    order = str(lex.raw.get("word_order", "SVO"))
    near = [p for p in after if p.start - end <= RECIPIENT_REACH]
    if order == "SOV" and verb_final:
        # A verb-final clause starts after the previous event's verb or at a
        # relative clause (", was Eriwan dementierte").
        floor = max(floor, _relative_clause_start(ctx, end, lex))
        own = [
            p
            for p in before
            if p.type in RECIPIENT_TYPES and p.start >= floor and not _in_compound(ctx.text, p)
        ]
        groups = coordinated_groups(own, ctx.text, lex)
        subject = _comma_subject(ctx, groups, end, lex)
        if subject is not None:
            return subject
        # The verb's own arguments stand nearest it: the actor is the closest
        # group before the object that names someone else ("Erivan,
        # Azerbaycan'ın Ermenistan'a saldırdığını açıkladı").
        for group in reversed(groups[:-1]):
            if _actors_only(group) and set(refs_of(group)) != set(refs_of(groups[-1])):
                return group, groups[-1]
    actor_group = _last_group(ctx, before, lex)
    # "Am Mittwoch griff Russland die Ukraine an": the subject right after the verb.
    if not actor_group and lex.raw.get("verb_second") and (not near or near[0].start - end > 1):
        return [], []
    if not actor_group and (order == "VSO" or lex.raw.get("verb_second")):
        actor_group = _first_group(ctx, [p for p in near if p.type in ACTOR_TYPES], lex)
        rest = [p for p in near if actor_group and p.start >= actor_group[-1].end]
        return actor_group, _first_group(ctx, _others(rest, actor_group), lex)
    return actor_group, _first_group(ctx, _others(near, actor_group), lex)


def _in_compound(text: str, p: Participant) -> bool:
    """ "den NATO-Beitritt Schwedens": a name that only begins a compound."""
    return text[p.end : p.end + 1] in "-‐" and text[p.end + 1 : p.end + 2].isalpha()


def _comma_subject(
    ctx: SentenceContext, groups: list[list[Participant]], end: int, lex: Lexicon
) -> tuple[list[Participant], list[Participant]] | None:
    """Where a comma ends the subject (Turkish "Erdoğan, Rusya'yı ... çağırdı"), the
    group before it acts on the first group after it -- unless the verb is a
    nominalised form whose own subject stands closer ("Erivan, Azerbaycan'ın
    Ermenistan'a saldırdığını açıkladı")."""
    if lex.raw.get("comma_coordinates", True) or len(groups) < 2:
        return None
    word = _word_at(ctx.text, ctx.text.rfind(" ", 0, end) + 1)
    if _affix(lex, "nonfinite_affix", word):
        return None
    for i in range(len(groups) - 2, -1, -1):
        if ctx.text[groups[i][-1].end : groups[i][-1].end + 1] != ",":
            continue
        if not _actors_only(groups[i]):
            return None
        for later in groups[i + 1 :]:
            if set(refs_of(later)) != set(refs_of(groups[i])):
                return groups[i], later
        return None
    return None


def _relative_clause_start(ctx: SentenceContext, end: int, lex: Lexicon) -> int:
    """Where a relative or complement clause before ``end`` begins (after ", was")."""
    words = lex.words("relative_starts")
    if words is None:
        return 0
    base = ctx.span.start
    local = ctx.text[base:end]
    starts = [m.end() for m in words.finditer(local) if local[: m.start()].rstrip().endswith(",")]
    return base + starts[-1] if starts else 0


def _others(candidates: list[Participant], group: list[Participant]) -> list[Participant]:
    """Candidates that are not (only) the given group's refs: a recipient differs from the actor."""
    taken = set(refs_of(group))
    return [p for p in candidates if not taken.issuperset(p.refs)]


def _sentence_group(whole: SentenceContext, start: int) -> Roles | None:
    """ "kedua negara ... berakhir dengan gencatan senjata": the group names the sides."""
    groups = [
        p for p in whole.participants if p.kind == "group" and len(p.refs) == 2 and p.end <= start
    ]
    if not groups:
        return None
    return Roles(list(groups[-1].refs), [], [])


def _roles(
    actor_group: list[Participant], recipient_group: list[Participant], one_sided: bool = False
) -> Roles | None:
    actors = refs_of([p for p in actor_group if p.type in ACTOR_TYPES])
    recipients = [
        r
        for r in refs_of([p for p in recipient_group if p.type in RECIPIENT_TYPES])
        if r not in actors
    ]
    if not actors or (not recipients and not one_sided):
        return None
    persons = [p.person for p in actor_group if p.person]
    return Roles(actors, recipients, persons)


def _symmetric(
    ctx: SentenceContext,
    before: list[Participant],
    after: list[Participant],
    end: int,
    lex: Lexicon,
) -> Roles | None:
    """Clashes, talks, agreements: every side is an actor."""
    sides: list[Participant] = []
    groups = [p for p in before if p.kind == "group" and len(p.refs) == 2]
    if groups:
        sides = [groups[-1]]
    else:
        sides = list(_last_group(ctx, before, lex))
        reach, last_end = end + PARTNER_REACH, end
        for p in after:
            if len(refs_of(_actors_only(sides))) >= 2 or p.start > reach:
                break
            if p.type not in ACTOR_TYPES or p.refs[0] in refs_of(sides):
                continue
            if not _is_partner(ctx.text, last_end, p, bool(sides), lex):
                break
            sides.append(p)
            reach, last_end = p.end + PARTNER_REACH, p.end
    actors = refs_of(_actors_only(sides))
    if len(actors) < 2:
        return None
    return Roles(actors, [], [p.person for p in sides if p.person])


def _is_partner(text: str, left: int, p: Participant, joined: bool, lex: Lexicon) -> bool:
    """A side named after the trigger: "bentrok dengan Azerbaijan", "dialog, Filipina dan
    Tiongkok" -- but not "usulan dari Qatar" (a source) nor a name in another phrase."""
    gap = gap_with_clitic(text, left, p.start, lex)
    sources = lex.words("source_preps")
    if sources is not None and any(m.end() == len(gap.rstrip()) for m in sources.finditer(gap)):
        return False
    links = lex.words("partner_links")
    return not joined or links is None or links.search(gap) is not None


def _mediation(
    ctx: SentenceContext,
    before: list[Participant],
    after: list[Participant],
    span: tuple[int, int],
    passive: bool,
    lex: Lexicon,
) -> Roles | None:
    """A third party between sides: "gencatan senjata yang ditengahi Moskow"."""
    start, end = span
    order = str(lex.raw.get("word_order", "SVO"))
    if passive:
        mediator = _group_right_after(ctx, after, end, lex, AGENT_REACH)
    elif order == "SOV":  # "Katar, İsrail ile Mısır arasında arabuluculuk yaptı"
        groups = coordinated_groups(_actors_only(before), ctx.text, lex)
        mediator = groups[0] if groups else []
        if len(groups) > 1 and start - groups[-1][-1].end <= 1:
            mediator = groups[-1]  # "Katar'ın arabuluculuğunda": a genitive right before
    else:
        mediator = _last_group(ctx, before, lex)
    if not mediator and order == "VSO":  # "توسطت قطر بين إسرائيل ومصر"
        mediator = _first_group(ctx, _actors_only(after), lex)
    mediators = refs_of(_actors_only(mediator))
    if not mediators:
        return None
    sides = [
        ref
        for p in ctx.participants
        if p.type in ACTOR_TYPES and p not in mediator
        for ref in p.refs
        if ref not in mediators
    ]
    sides = list(dict.fromkeys(sides))
    if not sides:
        return None
    return Roles(mediators, sides, [p.person for p in mediator if p.person])


def _actors_only(group: list[Participant]) -> list[Participant]:
    return [p for p in group if p.type in ACTOR_TYPES]


def _last_group(
    ctx: SentenceContext,
    before: list[Participant],
    lex: Lexicon,
    types: frozenset[str] = ACTOR_TYPES,
) -> list[Participant]:
    usable = [p for p in before if p.type in types]
    return last_coordinated_group(usable, ctx.text, lex)


def _first_group(ctx: SentenceContext, after: list[Participant], lex: Lexicon) -> list[Participant]:
    usable = [p for p in after if p.type in RECIPIENT_TYPES]
    return first_coordinated_group(usable, ctx.text, lex)


def _group_right_after(
    ctx: SentenceContext, after: list[Participant], end: int, lex: Lexicon, reach: int
) -> list[Participant]:
    group = _first_group(ctx, after, lex)
    if group and group[0].start - end <= reach:
        return group
    return []


def _refine_mode(
    trigger: Trigger, local: str, span: tuple[int, int], lex: Lexicon
) -> tuple[str | None, tuple[str, ...]]:
    """A cue word in or after the trigger may set the mode: "meminta bantuan militer"
    -> assist, "frappes aériennes" -> aerial; in a verb-final language it stands
    before the verb ("askeri yardım talep etti")."""
    start, end = span
    # After the verb's first word: "griff die Ukraine mit Raketen an" has its cue
    # inside the match, "Beitrittsersuchen" is not its own cue.
    first = len(local[start:end].split()[0]) if local[start:end].strip() else 0
    before = start - MODE_CUE_REACH if lex.raw.get("word_order") == "SOV" else start
    for cue in lex.mode_cues:
        if cue.type == trigger.type and any(
            (start + first <= m.start() and m.end() <= end + MODE_CUE_REACH)
            or (before <= m.start() and m.end() <= start)
            for m in cue.pattern.finditer(local)
        ):
            context = tuple(dict.fromkeys(trigger.context + cue.context))
            return cue.mode or trigger.mode, context
    return trigger.mode, trigger.context


def _right_after(pattern: Terms | None, local: str, end: int, reach: int = AFTER_REACH) -> bool:
    """``pattern`` begins within ``reach`` characters after ``end``: a negation that
    follows its verb (Korean "공격하지 않았다", Japanese "攻撃しなかった", Persian
    "حمله نکرد")."""
    if pattern is None:
        return False
    return any(end <= m.span_start <= end + reach for m in pattern.finditer(local))


def _near_end(pattern: Terms | None, local: str, at: int, reach: int = MODALITY_REACH) -> bool:
    """``pattern`` occurs in ``local[at - reach : at]``.

    The whole sentence is scanned (once, cached) and the matches filtered by
    offset: scanning each little window anew would cost a scan per window.
    """
    if pattern is None:
        return False
    matches = pattern.finditer(local)  # mostly none: then no generator to set up
    lowest = at - reach
    return bool(matches) and any(lowest <= m.span_start and m.span_end <= at for m in matches)


def _sides(event: Event) -> tuple[str, bool, frozenset[str], frozenset[str]]:
    """What two reports of one real-world event share: type, negation and sides (for a
    joint type all of them, actor or recipient; for others who acts on whom: "A accused
    B" and "B accused A" are two events); their dates need only be compatible."""
    sides = frozenset(event.actor) | frozenset(event.recipient)
    if event.type in SYMMETRIC_TYPES:
        return event.type, event.negated, sides, frozenset()
    return event.type, event.negated, frozenset(event.actor), frozenset(event.recipient)


def _dates_compatible(a: str | None, b: str | None) -> bool:
    """Unknown dates agree with anything; "2022-09" agrees with "2022-09-14"."""
    return not a or not b or a.startswith(b) or b.startswith(a)


def dedupe(events: list[Event]) -> list[Event]:
    """One Event per real-world event, with every further report as more evidence."""
    merged: list[Event] = []
    # Merged events by their sides, in order: an event's twin can only be among
    # those with its sides (a look-up, not a comparison with every merged event).
    alike: dict[tuple[str, bool, frozenset[str], frozenset[str]], list[Event]] = {}
    for event in events:
        candidates = alike.setdefault(_sides(event), [])
        twin = next((m for m in candidates if _dates_compatible(m.date, event.date)), None)
        if twin is None:
            merged.append(event)
            candidates.append(event)
            continue
        if event.evidence != twin.evidence and event.evidence not in twin.more_evidence:
            twin.more_evidence.append(event.evidence)
        twin.score = max(twin.score, event.score)
        twin.actor_persons.extend(p for p in event.actor_persons if p not in twin.actor_persons)
        twin.location = twin.location or event.location
        twin.date = _more_precise(twin.date, event.date)
    return _fold_one_sided(merged)


# Types whose one-sided reports fold into a fuller one.  Attacks only: folding COERCE
# and PROTEST too lost more events right than wrong ones on the training split (annotators
# list a lone protest beside the protest against someone); ASSAULT alone: 57 fewer wrong,
# 9 fewer right there, dev split 1 fewer wrong.
FOLD_TYPES = frozenset({"ASSAULT"})


def _fold_one_sided(events: list[Event]) -> list[Event]:
    """A one-sided report of an attack ("the army shelled the town") that the document
    also reports with both sides ("the army shelled rebel positions") is more evidence
    of that one, not an event of its own: its actor is one of the fuller event's sides."""
    full = [e for e in events if e.recipient or len(e.actor) > 1]
    kept: list[Event] = []
    for event in events:
        fuller = None
        if not event.recipient and len(event.actor) == 1 and event.type in FOLD_TYPES:
            fuller = next(
                (
                    f
                    for f in full
                    if f.type == event.type
                    and f.negated == event.negated
                    and event.actor[0] in f.actor + f.recipient
                    and _dates_compatible(f.date, event.date)
                ),
                None,
            )
        if fuller is None:
            kept.append(event)
        elif event.evidence != fuller.evidence and event.evidence not in fuller.more_evidence:
            fuller.more_evidence.append(event.evidence)
    return kept


def _more_precise(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if len(a) >= len(b) else b


def diplomats_expelled(events: list[Event], text: str, lex: Lexicon) -> list[Event]:
    """Expelling diplomats is SANCTION, not COERCE (GUIDE.md, as PLOVER codes it with
    recalling an ambassador): where a sentence's expulsion word stands with a word for
    diplomats ("expelled their Syrian ambassadors", "des Landes verwiesen ... Diplomaten"),
    its COERCE events become SANCTION; deporting people stays COERCE."""
    if not any(e.type == "COERCE" for e in events):
        return events
    diplomats = lex.words("diplomats")
    if diplomats is None or not diplomats.finditer(text) or not _expels(text, lex):
        return events
    for event in events:
        if event.type == "COERCE":
            event.type, event.mode = "SANCTION", None
    return events


def _expels(text: str, lex: Lexicon) -> bool:
    triggers = lex.triggers
    return triggers is not None and any(m.value.mode == "expel" for m in triggers.finditer(text))


# --- events the trained detector finds ----------------------------------------

# Types whose sides are all actors when the detector finds them (FORMAT.md: clashes
# put every side in `actor`; talks and agreements are joint acts).
DETECTED_SYMMETRIC = frozenset({"ASSAULT", "CONSULT", "AGREE", "COOPERATE"})


def detected_event(
    ctx: SentenceContext,
    lex: Lexicon,
    event_type: str,
    anchors: list[tuple[int, int]],
    probability: float,
) -> Event | None:
    """An event of ``event_type`` the detector found in the sentence, its roles filled
    around the first of its strongest words (``anchors``, document offsets) where the
    structure gives it both sides; else one-sided at the strongest word, for the types
    that can be."""
    roles = None
    for start, end in anchors:
        roles = _roles_at(ctx, lex, event_type, start, end)
        if roles is not None:
            break
    if roles is None and event_type in DETECTED_ONE_SIDED:
        roles = _lone_actor(ctx, anchors[0][0])
    if roles is None:
        return None
    roles = _plausible_sides(ctx, event_type, roles)
    if roles is None:
        return None
    return _detected(ctx, lex, event_type, anchors[0], probability, roles)


def sideless_event(
    ctx: SentenceContext,
    lex: Lexicon,
    event_type: str,
    anchors: list[tuple[int, int]],
    probability: float,
) -> Event:
    """A detected event whose sides the structure could not read, for the side chooser
    to fill from the sentence's parties (never emitted as it is)."""
    return _detected(ctx, lex, event_type, anchors[0], probability, Roles([], [], []))


def _detected(
    ctx: SentenceContext,
    lex: Lexicon,
    event_type: str,
    anchor: tuple[int, int],
    probability: float,
    roles: Roles,
) -> Event:
    local_at = anchor[0] - ctx.span.start
    word_end = anchor[1] - ctx.span.start
    return Event(
        type=event_type,
        mode=None,
        context=[],
        actor=roles.actor,
        recipient=roles.recipient,
        date=ctx.date,
        negated=_near_end(lex.words("modality.negation"), ctx.span.text, local_at)
        or _right_after(lex.words("modality.negation_after"), ctx.span.text, word_end),
        score=round(probability, 4),
        evidence=ctx.span,
        hypothetical=_near_end(lex.words("modality.hypothetical"), ctx.span.text, local_at),
        claimed=_near_end(lex.words("modality.claimed"), ctx.span.text, local_at, reach=local_at),
        actor_persons=roles.persons,
        location=ctx.places[0] if ctx.places else None,
        anchor=anchor[0],
    )


def _roles_at(
    ctx: SentenceContext, lex: Lexicon, event_type: str, start: int, end: int
) -> Roles | None:
    """Both sides of an event whose word stands at [start, end): a passive's agent and
    patient, the sides of a joint act, or an active verb's subject and object."""
    roles = _detected_passive(ctx, lex, start, end)
    if roles is None and event_type in DETECTED_SYMMETRIC:
        roles = assign_roles(ctx, start, end, "symmetric", lex, event_type=event_type)
    if roles is None:
        roles = assign_roles(ctx, start, end, "active", lex, event_type=event_type)
    if roles is not None and not roles.recipient and event_type not in DETECTED_SYMMETRIC:
        return None  # one side only: another word may place it better
    return roles


def _lone_actor(ctx: SentenceContext, start: int) -> Roles | None:
    """A one-sided act whose doer stands after its word ("dibubarkan polisi"), or the
    sentence's only actor."""
    actors = [p for p in ctx.participants if p.type in ACTOR_TYPES]
    if not actors:
        return None
    before = [p for p in actors if p.end <= start]
    chosen = before[-1] if before else actors[0]
    return Roles(list(chosen.refs[:1]), [], [chosen.person] if chosen.person else [])


def _detected_passive(ctx: SentenceContext, lex: Lexicon, start: int, end: int) -> Roles | None:
    """ "arrêté par les gendarmes", "arrested by police", "von der Polizei festgenommen":
    the agent word's participant acts on what stands before the verb."""
    agent_words = lex.words("voice.agent")
    local = ctx.span.text
    base = ctx.span.start
    actors = [p for p in ctx.participants if p.type in ACTOR_TYPES]
    for m in agent_words.finditer(local) if agent_words is not None else []:
        at = base + m.end()
        if not (end <= base + m.start() <= end + AGENT_REACH or start - 30 <= at <= start):
            continue
        doer = next((p for p in actors if 0 <= p.start - at <= 8), None)
        if doer is None:
            continue
        before = [p for p in ctx.participants if p.end <= start and p is not doer]
        target = [r for r in before[-1].refs if r not in doer.refs] if before else []
        if not target:
            # No patient before the word: the agent phrase belongs to another verb
            # ("liderado por Daniel Ortega, ordenó la detención de ... periodistas").
            continue
        return Roles(list(doer.refs[:1]), target[:1], [doer.person] if doer.person else [])
    return None


# Who can do what, by sector: a protest is not staged by the police, an arrest is
# not made by the protesters.  Where the sides a structure gave break this and the
# other order does not, they are swapped; where both break it, the event is dropped.
DOER_SECTORS_NOT: dict[str, frozenset[str]] = {
    "PROTEST": frozenset({"police", "military", "government", "judiciary", "intelligence"}),
    "COERCE": frozenset({"civilians", "protesters", "students", "refugees", "media", "labor"}),
    "SANCTION": frozenset({"civilians", "protesters", "students", "refugees", "media"}),
    "ASSAULT": frozenset({"civilians", "refugees", "media"}),
}


# Who stages a protest, where the sentence names such a group: it, not the state the
# structure found ("الشرطة الفرنسية تعتقل 25 متظاهرًا قبل بدء الاحتجاجات").
PROTESTING_SECTORS = frozenset({"protesters", "students", "labor", "opposition"})


def _protesters_protest(
    ctx: SentenceContext, event_type: str, roles: Roles, sectors: dict[str, str]
) -> Roles:
    if event_type != "PROTEST":
        return roles
    if any(sectors.get(ref) in PROTESTING_SECTORS for ref in roles.actor):
        return roles
    groups = [p for p in ctx.participants if p.sector in PROTESTING_SECTORS]
    if not groups:
        return roles
    doer = groups[0].refs[0]
    return Roles([doer], [r for r in roles.recipient if r != doer], [])


def _plausible_sides(ctx: SentenceContext, event_type: str, roles: Roles) -> Roles | None:
    sectors = {p.refs[0]: p.sector for p in ctx.participants if p.sector}
    roles = _protesters_protest(ctx, event_type, roles, sectors)
    banned = DOER_SECTORS_NOT.get(event_type)
    if banned is None:
        return roles

    def bad(refs: list[str]) -> bool:
        return any(sectors.get(r) in banned for r in refs)

    if not bad(roles.actor):
        return roles
    if roles.recipient and not bad(roles.recipient):
        return Roles(list(roles.recipient), list(roles.actor), [])
    return None
