#!/usr/bin/env python3
"""Builds data/communes.csv and data/epci.csv, the commune and EPCI tables
compiled into maillage, from public reference data:

  communes-2024.csv  INSEE COG 2024 communes with the 2021 census figures and
                     the coordinates of La Poste's Base officielle des codes
                     postaux (the table maillage shipped before 2026);
  communes-cog.csv   the 2026 commune list of @etalab/decoupage-administratif
                     6.0.0 (current communes, the 45 municipal arrondissements
                     of Paris, Lyon and Marseille, former communes);
  epci.csv           the EPCI composition of the same package;
  data/sources/laposte-hexasmal-extract.csv
                     the rows of La Poste's Base officielle des codes postaux
                     (laposte_hexasmal, with coordonnees_gps) for the codes
                     the 2024 table lacks (the arrondissements...).

Usage: scripts/make_communes.py SHARED_DATA_DIR   (the folder holding
communes.csv and admin-fr/). Writes data/communes.csv and data/epci.csv.
Sources and licences: data/README.md.
"""
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def departement_ok(dep):
    return (len(dep) == 2 and (dep.isdigit() and "01" <= dep <= "95"
                               and dep != "20" or dep in ("2A", "2B"))
            or dep in ("971", "972", "973", "974", "976"))


def main(shared):
    census = {r["insee_com"]: r for r in
              csv.DictReader(open(os.path.join(shared, "communes.csv"),
                                  encoding="utf-8"))}
    cog = list(csv.DictReader(open(os.path.join(shared, "admin-fr",
                                                "communes-cog.csv"),
                                   encoding="utf-8")))
    poste = {}
    with open(os.path.join(ROOT, "data", "sources",
                           "laposte-hexasmal-extract.csv"),
              encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if r["coordonnees_gps"]:
                lat, lng = r["coordonnees_gps"].split(",")
                poste[r["Code_commune_INSEE"]] = (float(lat), float(lng))
    epci_of = {}
    epcis = {}
    with open(os.path.join(shared, "admin-fr", "epci.csv"),
              encoding="utf-8") as f:
        for r in csv.DictReader(f):
            epci_of[r["insee_com"]] = r["epci_siren"]
            epcis[r["epci_siren"]] = (r["epci_name"], r["epci_type"])

    current = [r for r in cog if r["type"] in ("commune-actuelle",
                                               "arrondissement-municipal")
               and departement_ok(r["insee_dep"])]
    codes = {r["insee_com"] for r in current}
    # Former codes: those a current commune lists as anciens_codes, and the
    # communes déléguées / associées, when they are not current codes.
    former = {r["insee_com"]: set() for r in current}
    for r in cog:
        if r["type"] == "commune-actuelle" and r["insee_com"] in former:
            for a in filter(None, r["anciens_codes"].split("|")):
                if a not in codes:
                    former[r["insee_com"]].add(a)
        elif (r["type"] in ("commune-deleguee", "commune-associee")
              and r["parent_insee_com"] in former
              and r["insee_com"] not in codes):
            former[r["parent_insee_com"]].add(r["insee_com"])
    # A former code claimed by two current communes (a commune split
    # between two) maps to neither.
    owners = {}
    for c, olds in former.items():
        for a in olds:
            owners.setdefault(a, []).append(c)
    for a, cs in owners.items():
        if len(cs) > 1:
            for c in cs:
                former[c].discard(a)

    rows = {}
    for r in current:
        c = r["insee_com"]
        out = {"insee_com": c, "insee_dep": r["insee_dep"],
               "insee_reg": r["insee_reg"], "name": r["name"],
               "lat": "", "lng": "", "population_2021": "",
               "unemployed_15_64_2021": "",
               "population_cog": r["population"],
               "type": ("arrondissement" if r["type"] ==
                        "arrondissement-municipal" else "commune"),
               "parent_insee_com": r["parent_insee_com"],
               "epci_siren": epci_of.get(c, epci_of.get(r["parent_insee_com"],
                                                        "")),
               "codes_postaux": r["codes_postaux"],
               "former_codes": "|".join(sorted(former[c]))}
        old = census.get(c)
        members = [census[a] for a in sorted(former[c]) if a in census]
        if old is not None:
            out["lat"], out["lng"] = old["lat"], old["lng"]
            out["population_2021"] = old["population_2021"]
            out["unemployed_15_64_2021"] = old["unemployed_15_64_2021"]
            for m in members:  # communes merged into it since 2024
                out["population_2021"] = str(int(out["population_2021"]) +
                                             int(m["population_2021"]))
                out["unemployed_15_64_2021"] = str(
                    int(out["unemployed_15_64_2021"]) +
                    int(m["unemployed_15_64_2021"]))
        elif members:
            # A commune created by merger since 2024: its population is the
            # sum of its members', its centre their population-weighted one.
            located = [m for m in members if m["lat"]]
            w = sum(int(m["population_2021"]) for m in located)
            if located and w > 0:
                out["lat"] = "%.6f" % (sum(float(m["lat"]) *
                                           int(m["population_2021"])
                                           for m in located) / w)
                out["lng"] = "%.6f" % (sum(float(m["lng"]) *
                                           int(m["population_2021"])
                                           for m in located) / w)
            out["population_2021"] = str(sum(int(m["population_2021"])
                                             for m in members))
            out["unemployed_15_64_2021"] = str(
                sum(int(m["unemployed_15_64_2021"]) for m in members))
        if not out["lat"] and c in poste:
            out["lat"], out["lng"] = ("%.6f" % poste[c][0],
                                      "%.6f" % poste[c][1])
        rows[c] = out
    # Paris, Lyon and Marseille: the population-weighted centre of their
    # arrondissements (the census figures are the arrondissements').
    for city in ("75056", "69123", "13055"):
        arr = [r for r in current if r["parent_insee_com"] == city]
        pop = {r["insee_com"]: int(r["population"] or 0) for r in arr}
        w = sum(pop.values())
        rows[city]["lat"] = "%.6f" % (sum(float(rows[a]["lat"]) * p
                                          for a, p in pop.items()) / w)
        rows[city]["lng"] = "%.6f" % (sum(float(rows[a]["lng"]) * p
                                          for a, p in pop.items()) / w)

    fields = ["insee_com", "insee_dep", "insee_reg", "name", "lat", "lng",
              "population_2021", "unemployed_15_64_2021", "population_cog",
              "type",
              "parent_insee_com", "epci_siren", "codes_postaux",
              "former_codes"]
    with open(os.path.join(ROOT, "data", "communes.csv"), "w",
              encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields, lineterminator="\n")
        w.writeheader()
        for c in sorted(rows):
            w.writerow(rows[c])
    with open(os.path.join(ROOT, "data", "epci.csv"), "w", encoding="utf-8",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["epci_siren", "epci_name", "epci_type"])
        for s in sorted(epcis):
            w.writerow([s, epcis[s][0], epcis[s][1]])
    print("communes: %d rows, %d without coordinates, %d without census "
          "figures; epci: %d" % (
              len(rows), sum(1 for r in rows.values() if not r["lat"]),
              sum(1 for r in rows.values() if not r["population_2021"]),
              len(epcis)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..",
                                                            "shared", "data"))
