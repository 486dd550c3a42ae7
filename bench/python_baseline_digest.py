#!/usr/bin/env python3
"""Baseline for bench/run: the minimal digest a typical Python script makes from the same RSS
feed (parse with xml.etree, regex phrase match on title+abstract, write a text file).
No archive, no calendar, no completeness checks: strictly less work than arxiv-digest does."""
import re
import sys
import xml.etree.ElementTree as ET

feed, out = sys.argv[1], sys.argv[2]
topics = ["reinforcement learning", "diffusion policy"]
root = ET.parse(feed).getroot()
items = []
for item in root.iter("item"):
    desc = item.findtext("description") or ""
    abstract = desc.split("Abstract:", 1)[-1].strip()
    items.append((item.findtext("title") or "", item.findtext("link") or "",
                  " ".join(abstract.split())))
with open(out, "w", encoding="utf-8") as f:
    for t in topics:
        pat = re.compile(r"\b" + r"[\s\-]+".join(map(re.escape, t.split())) + r"\b", re.I)
        f.write(f"Keyword: {t}\n")
        hits = [i for i in items if pat.search(i[0]) or pat.search(i[2])]
        if not hits:
            f.write("There is no result\n")
        for title, link, abstract in hits:
            f.write(f"{title}\n- Arxiv link: {link}\n- Abstract\n{abstract}\n")
