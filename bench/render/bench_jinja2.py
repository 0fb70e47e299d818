#!/usr/bin/env python3
"""Jinja2 side of bench/bench_render.cpp: renders bench/render/care-plan.jinja2.html from the
same situation XML as caseflow, N times, and prints one JSON line with its own timing.

Usage: bench_jinja2.py SITUATION.xml NETWORK.xml STYLESHEET.css TODAY N ROUNDS OUTPUT.html (best of ROUNDS rounds of N/ROUNDS renders)
Two timed loops, like caseflow's two measures: template.render() alone on values read from
the XML once before timing; then the XML text parsed (ElementTree) into those values and
rendered, every time. Autoescaping is on, as caseflow always escapes."""
import datetime
import json
import sys
import time
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import jinja2

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
BRUSSELS = ZoneInfo("Europe/Brussels")


def parse_date(text):
    try:
        return datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def long_date(text):
    d = parse_date(text)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else ""


def full_date(text):
    d = parse_date(text)
    return f"{DAYS[d.weekday()]} {long_date(text)}" if d else ""


def numeric_date(text):
    d = parse_date(text)
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def brussels(text):
    try:
        instant = datetime.datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        return ""
    local = instant.astimezone(BRUSSELS)
    return f"{long_date(local.date().isoformat())} à {local:%H:%M}"


def age(birth, on):
    b, o = parse_date(birth), parse_date(on)
    if not b or not o:
        return ""
    return o.year - b.year - ((o.month, o.day) < (b.month, b.day))


def category(number, network):
    bands = network["bands"]
    n = int(number)
    band = bands[(n - 1) % len(bands)]
    living = "en famille" if (n - 1) // len(bands) == 0 else "en institution"
    return f"Catégorie {n} : {band[0]} à {band[1]} ans, {living}"


def load(situation_text, net):
    root = ET.fromstring(situation_text)
    network = {
        "label_fr": next(l.text for l in net.findall("label") if l.get("lang") == "fr"),
        "bands": [(b.get("minAge"), b.get("maxAge")) for b in net.find("ageBands")],
        "doctors": {p.get("id"): p.findtext("name") for p in net.find("pedopsychiatrists")},
    }
    youth = root.find("youth")
    plan = root.find("carePlan")
    partners = {p.get("id"): {"organisation": p.findtext("organisation"), "contact": p.findtext("contact")}
                for p in root.find("partners")}
    adhesions = [c for c in root.find("consents") if c.get("type") == "plan-adhesion"]
    doctor = plan.find("pedopsychiatrist")
    signed = plan.find("{http://www.w3.org/2000/09/xmldsig#}Signature") is not None
    manager = root.findall("concertations/concertation")[-1].find("caseManager").get("partner")
    return {
        "s": {"reference": youth.findtext("reference"), "birth_date": youth.findtext("birthDate"),
              "municipality": youth.findtext("municipality"), "language": youth.findtext("language"),
              "opened_on": root.get("openedOn")},
        "plan": {
            "agreed_on": plan.get("agreedOn"), "revision": plan.get("revision"),
            "objectives": [{"id": o.get("id"), "text": o.text} for o in plan.find("objectives")],
            "actions": [{"id": a.get("id"), "objective": a.get("objective"), "responsible": a.get("responsible"),
                         "start": a.get("start"), "end": a.get("end"), "text": a.text} for a in plan.find("actions")],
            "follow_up": [m.get("date") for m in plan.find("followUp")],
            "validated_by": plan.findtext("validation/[@by]"),
            "signed_at": plan.get("signedAt") if signed else "",
        },
        "partners": partners,
        "adhesions": [{"given": adhesion.get("given"), "by": adhesion.get("by"), "date": adhesion.get("date"),
                       "recorded_by": adhesion.get("recordedBy"), "text": adhesion.text} for adhesion in adhesions],
        "doctor_name": (partners.get(doctor.get("partner"), {}).get("contact")
                        or network["doctors"].get(doctor.get("networkPedopsychiatrist"))),
        "case_manager": partners[manager]["contact"],
        "network": network,
        "record": {"version": 16, "state": "follow-up", "category": 2, "updated_at": "2026-07-03T08:15:00.000Z"},
        "states": {"follow-up": "suivi"},
        "languages": {"fr": "français", "nl": "néerlandais", "de": "allemand"},
        "consent_by": {"youth": "le jeune", "parent": "un parent", "guardian": "le tuteur"},
    }


def main():
    situation, network, stylesheet, today, count, rounds, output = sys.argv[1:8]
    rounds = max(1, int(rounds))
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.path[0]), autoescape=True)
    environment.filters.update(long_date=long_date, full_date=full_date, numeric_date=numeric_date,
                               brussels=brussels, age=age, category=category)
    template = environment.get_template("care-plan.jinja2.html")
    situation_text = open(situation, encoding="utf-8").read()
    net = ET.parse(network).getroot()
    css = open(stylesheet, encoding="utf-8").read()

    def context_of(text):
        context = load(text, net)
        context["css"] = css
        context["today"] = today
        return context

    context = context_of(situation_text)
    html = template.render(**context)
    # The best of `rounds` rounds, times rounds: the same measure bench_render takes of every engine.
    per_round = max(1, int(count) // rounds)

    def best_of_rounds(render_one):
        best = None
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(per_round):
                render_one()
            seconds = time.perf_counter() - started
            best = seconds if best is None or seconds < best else best
        return best * int(count) / per_round

    seconds = best_of_rounds(lambda: template.render(**context))
    parsed_seconds = best_of_rounds(lambda: template.render(**context_of(situation_text)))
    with open(output, "w", encoding="utf-8") as out:
        out.write(html)
    print(json.dumps({"engine": f"Jinja2 {jinja2.__version__} (Python {sys.version.split()[0]})",
                      "renders": int(count), "seconds": seconds, "parsedSeconds": parsed_seconds,
                      "bytes": len(html.encode("utf-8"))}))


if __name__ == "__main__":
    main()
