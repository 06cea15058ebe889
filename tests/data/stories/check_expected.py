"""Validate tests/data/stories: JSON shape, article constraints, and recompute every
hand-written state / track record with an independent reading of SPEC's table."""
import json, re, datetime as dt, sys
import os
D = os.path.dirname(os.path.abspath(__file__)) + "/"
errors = []
def err(m): errors.append(m)

arts = {}
with open(D + "articles.jsonl", encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        a = json.loads(line)
        if set(a) != {"id", "url", "title", "text", "published", "outlet", "lang"}:
            err(f"line {n}: keys {sorted(a)}")
        if a["lang"] != "fr": err(f"{a['id']}: lang")
        dt.date.fromisoformat(a["published"])
        if a["id"] in arts: err(f"dup id {a['id']}")
        arts[a["id"]] = a
        wc = len(re.findall(r"\w+(?:['’]\w+)*", a["text"]))
        if not 80 <= wc <= 250: err(f"{a['id']}: {wc} words")
urls = [a["url"] for a in arts.values()]
if len(set(urls)) != len(urls): err("duplicate urls")

E = json.load(open(D + "expected.json", encoding="utf-8"))
D_ = dt.date.fromisoformat
GRACE = E["grace_days"]

def period_end(v):
    if re.fullmatch(r"\d{4}-H[12]", v):
        y, h = int(v[:4]), v[-1]
        return dt.date(y, 6, 30) if h == "1" else dt.date(y, 12, 31)
    if re.fullmatch(r"\d{4}", v): return dt.date(int(v), 12, 31)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v): return D_(v)
    raise ValueError(v)

AUTH = {"party", "official"}
MEDIA = {"agency", "media", "analyst", "outlet"}

def state_as_of(reports, as_of):
    state, confirmers, deniers, occurred, exp_end = None, set(), set(), False, None
    for r in sorted(reports, key=lambda r: r["published"]):
        if D_(r["published"]) > as_of: break
        c, k = r["certainty"], r["source_kind"]
        srcs = set(r["source"].split(", "))
        t = r.get("time")
        occ = bool(t and t["role"] == "occurred" and period_end(t["value"]) <= D_(r["published"]))
        if t and t["role"] == "expected": exp_end = period_end(t["value"])
        if c == "denied" and k in AUTH:
            if r.get("called_off") or state == "confirmed": state = "abandoned"
            elif confirmers - srcs: state = "disputed"
            else: state = "denied"
            deniers |= srcs
        elif c == "certain" and (k in AUTH or occ):
            state = "disputed" if (deniers - srcs) else "confirmed"
            if k in AUTH: confirmers |= srcs
            occurred = occurred or occ
        elif c in ("certain", "probable") and k in MEDIA and state in (None, "rumoured", "reported"):
            state = "reported"
        elif (c == "possible" or (c == "probable" and k == "anonymous")) and state is None:
            state = "rumoured"
        # else: no change (R7 or no row)
    if exp_end and not occurred and as_of > exp_end + dt.timedelta(days=GRACE):
        state = "lapsed"
    return state

OUT = {"confirmed": "right", "abandoned": "right", "denied": "wrong", "lapsed": "wrong"}
all_claims, seen_articles = [], set()
for s in E["stories"]:
    if len(s["articles"]) < 5: err(f"{s['id']}: <5 articles")
    for aid in s["articles"]:
        if aid not in arts: err(f"{s['id']}: unknown {aid}")
        seen_articles.add(aid)
    pubdays = {arts[a]["published"] for a in s["articles"]}
    for c in s["claims"]:
        all_claims.append(c)
        reps = c["reports"]
        for r in reps:
            a = arts[r["article"]]
            if a["published"] != r["published"]: err(f"{c['id']}: date of {r['article']}")
            if r["cue"] not in a["text"]: err(f"{c['id']}: cue {r['cue']!r} not in {r['article']}")
            for name in r["source"].split(", "):
                if r["source_kind"] not in ("anonymous",) and name not in a["text"] and name != a["outlet"]:
                    err(f"{c['id']}: source {name} not in {r['article']}")
            if r.get("via") and r["via"] not in a["text"] and r["via"] != a["outlet"]:
                err(f"{c['id']}: via {r['via']} not in {r['article']}")
            for p in c["parties"]:
                if p not in a["text"]: err(f"{c['id']}: party {p} not in {r['article']}")
            got = state_as_of(reps, D_(r["published"]))
            if got != r["state_after"] and not (r["state_after"] == "lapsed" and got == "lapsed"):
                err(f"{c['id']} {r['article']}: state_after {r['state_after']} != {got}")
        if c["first_report"] != reps[0]["article"] or c["first_reported"] != reps[0]["published"]:
            err(f"{c['id']}: first report")
        if c["last_reported"] != reps[-1]["published"]: err(f"{c['id']}: last_reported")
        # gaps inside an episode < 365 days
        ds = [D_(r["published"]) for r in reps]
        if any((b - a).days >= 365 for a, b in zip(ds, ds[1:])): err(f"{c['id']}: gap >= 365 inside episode")
        f = reps[0]
        cred = f"anonymous via {f['via']}" if f["source_kind"] == "anonymous" else f["source"]
        if f["source_kind"] == "party": err(f"{c['id']}: first report from a party (ambiguous credit)")
        if cred != c["first_reporter"]: err(f"{c['id']}: credit {cred} != {c['first_reporter']}")
        prev = None
        for k in c["checkpoints"]:
            d = D_(k["as_of"])
            if prev and d <= prev: err(f"{c['id']}: checkpoints not sorted")
            prev = d
            if k["as_of"] in pubdays: err(f"{c['id']}: checkpoint on a publication day {k['as_of']}")
            got = state_as_of(reps, d)
            if got != k["state"]: err(f"{c['id']} as_of {k['as_of']}: hand {k['state']} != recomputed {got}")
        # transitions: replay day by day
        trans, last = [], None
        day, end = D_(c["first_reported"]) - dt.timedelta(1), D_("2025-12-31")
        while day <= end:
            st = state_as_of(reps, day)
            if st != last:
                trans.append((st, day.isoformat())); last = st
            day += dt.timedelta(1)
        hand = [(t["state"], t["date"]) for t in c["transitions"]]
        if trans[0][0] is None: trans = trans[1:]
        if trans != hand: err(f"{c['id']}: transitions {hand} != {trans}")
        for t in c["transitions"]:
            if t["report"] and arts[t["report"]]["published"] != t["date"]: err(f"{c['id']}: transition date")
        fin = state_as_of(reps, D_(E["track_record_as_of"]))
        if fin != c["final_state"]: err(f"{c['id']}: final {c['final_state']} != {fin}")
        if OUT.get(fin, "open") != c["outcome"]: err(f"{c['id']}: outcome")
        if "lapse" in c:
            L = c["lapse"]
            pe = period_end(L["expected"])
            if pe.isoformat() != L["period_end"] or (pe + dt.timedelta(GRACE)).isoformat() != L["deadline"] \
               or (pe + dt.timedelta(GRACE + 1)).isoformat() != L["first_lapsed_day"]:
                err(f"{c['id']}: lapse arithmetic")

if seen_articles != set(arts): err(f"articles outside stories: {set(arts) - seen_articles}")
# episodes: same key, consecutive episodes separated by >= 365 days
by_key = {}
for c in all_claims:
    by_key.setdefault((c["type"], frozenset(c["parties"]), c["args"].get("product")), []).append(c)
for k, cs in by_key.items():
    cs.sort(key=lambda c: c["first_reported"])
    for i, (a, b) in enumerate(zip(cs, cs[1:])):
        gap = (D_(b["first_reported"]) - D_(a["last_reported"])).days
        if gap < 365: err(f"{a['id']}/{b['id']}: episodes only {gap} days apart")
        if b.get("gap_days_from_previous_episode") not in (None, gap): err(f"{b['id']}: gap {gap}")
        if b["episode"] != a["episode"] + 1: err(f"{b['id']}: episode number")

def record(as_of):
    tr = {}
    for c in all_claims:
        if D_(c["first_reported"]) > as_of: continue
        o = OUT.get(state_as_of(c["reports"], as_of), "open")
        t = tr.setdefault(c["first_reporter"], {"right": 0, "wrong": 0, "open": 0})
        t[o] += 1
    return tr
if record(D_(E["track_record_as_of"])) != E["track_record"]:
    err(f"track_record: recomputed {record(D_(E['track_record_as_of']))}")
for h in E["track_record_history"]:
    if record(D_(h["as_of"])) != h["track_record"]: err(f"track_record {h['as_of']}: recomputed {record(D_(h['as_of']))}")

# weekday words in the claim sentence must name the publication day or a day up to 6 days before
WD = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
for a in arts.values():
    first = a["text"].split(". ")[0]
    for i, w in enumerate(WD):
        if re.search(rf"\b{w}\b", first):
            delta = (D_(a["published"]).weekday() - i) % 7
            print(f"  {a['id']} {a['published']} {w}: {delta} day(s) before publication")

print(f"{len(arts)} articles, {len(E['stories'])} stories, {len(all_claims)} claims")
print("\n".join(errors) if errors else "OK: all hand-computed states, transitions and track records agree")
sys.exit(1 if errors else 0)
