#!/usr/bin/env python3
"""Builds the hand-made RSS and listing-page fixtures (see PROVENANCE.md in rss/ and listing/).

Paper content (titles, authors, abstracts, subjects, comments, journal refs, DOIs) is real:
copied from the reference digest /work/shared/seed/000_28e39854bc5d5fd6.txt (2606.* papers)
and the arXiv API fixture api2026_q_testing_s0_m100_cfe7536492ca_http200.xml (2405.11454v2,
2005.14124v2). Document structure follows arXiv's published RSS specification and the
arxiv-browse list templates. Run from anywhere: python3 build_fixtures.py
"""
import pathlib
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

HERE = pathlib.Path(__file__).resolve().parent
SEED = pathlib.Path("/work/shared/seed/000_28e39854bc5d5fd6.txt")
API = pathlib.Path(
    "/work/shared/fixtures/arxiv/api/api2026_q_testing_s0_m100_cfe7536492ca_http200.xml")

NAMES = {
    "cs.LG": "Machine Learning",
    "cs.AI": "Artificial Intelligence",
    "cs.CL": "Computation and Language",
    "cs.RO": "Robotics",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.SE": "Software Engineering",
    "cs.CR": "Cryptography and Security",
    "cs.DS": "Data Structures and Algorithms",
    "math.OC": "Optimization and Control",
}


def from_seed(ident):
    s = SEED.read_text(encoding="utf-8")
    at = s.index("- Arxiv link: https://arxiv.org/abs/" + ident)
    authors_at = s.rindex("- Authors: ", 0, at)
    head = s[:authors_at].rstrip("\n").split("\n")
    title = head[-2]  # English title, then the Chinese translation
    authors = s[authors_at + len("- Authors: "):s.index("\n", authors_at)]
    subj = s[s.index("Subjects:\n", authors_at) + len("Subjects:\n"):at].strip()
    cats = re.findall(r"\(([a-z-]+(?:\.[A-Za-z-]+)?)\)", subj)
    a = s.index("- Abstract\n", at) + len("- Abstract\n")
    abstract = s[a:s.index("\n- 中文摘要", a)]
    return dict(id=ident, title=title, authors=authors.split(", "), cats=cats, abstract=abstract,
                comments="", journal_ref="", doi="")


def from_api(ident_v):
    ns = {"a": "http://www.w3.org/2005/Atom", "x": "http://arxiv.org/schemas/atom"}
    root = ET.parse(API).getroot()
    for e in root.findall("a:entry", ns):
        if e.find("a:id", ns).text.endswith("/" + ident_v):
            prim = e.find("x:primary_category", ns).get("term")
            cats = [prim] + [c.get("term") for c in e.findall("a:category", ns)
                             if c.get("term") != prim]
            get = lambda tag: (e.find(tag, ns).text if e.find(tag, ns) is not None else "")
            return dict(id=ident_v.split("v")[0], title=get("a:title"),
                        authors=[a.find("a:name", ns).text for a in e.findall("a:author", ns)],
                        cats=cats, abstract=get("a:summary"), comments=get("x:comment"),
                        journal_ref=get("x:journal_ref"), doi=get("x:doi"))
    raise KeyError(ident_v)


# The day: (paper, version, RSS announce type for cs.LG+cs.AI, listing section on cs.LG/new).
DAY = [
    (from_seed("2606.18284"), 1, "new", "new"),
    (from_seed("2606.18327"), 1, "new", "new"),
    (from_seed("2606.18521"), 1, "new", "new"),
    (from_seed("2606.18786"), 1, "new", None),  # cs.AI only: in the feed, not on cs.LG/new
    (from_seed("2606.18514"), 1, "cross", "cross"),
    (from_seed("2606.19004"), 1, "cross", "cross"),
    (from_api("2405.11454v2"), 2, "replace", "rep"),
    (from_api("2005.14124v2"), 2, "replace-cross", "rep"),
]
LICENSE = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
PUBDATE = "Thu, 18 Jun 2026 00:00:00 -0400"


def rss_item(p, version, kind):
    full = f"{p['id']}v{version}"
    lines = [
        "    <item>",
        f"      <title>{escape(p['title'])}</title>",
        f"      <link>https://arxiv.org/abs/{p['id']}</link>",
        f"      <description>arXiv:{full} Announce Type: {kind} \n"
        f"Abstract: {escape(p['abstract'])}</description>",
        f'      <guid isPermaLink="false">oai:arXiv.org:{full}</guid>',
    ]
    lines += [f"      <category>{c}</category>" for c in p["cats"]]
    lines += [f"      <pubDate>{PUBDATE}</pubDate>",
              f"      <arxiv:announce_type>{kind}</arxiv:announce_type>",
              f"      <dc:rights>{LICENSE}</dc:rights>"]
    if p["doi"]:
        lines.append(f"      <arxiv:DOI>{escape(p['doi'])}</arxiv:DOI>")
    if p["journal_ref"]:
        lines.append(
            f"      <arxiv:journal_reference>{escape(p['journal_ref'])}</arxiv:journal_reference>")
    lines += [f"      <dc:creator>{escape(', '.join(p['authors']))}</dc:creator>", "    </item>"]
    return "\n".join(lines)


def rss_feed(spec, items, title=None, description=None, pubdate=PUBDATE):
    cats = spec.split("+")
    title = title or f"{', '.join(cats)} updates on arXiv.org"
    description = description or f"{', '.join(cats)} updates on the arXiv.org e-print archive."
    head = f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>{escape(title)}</title>
    <link>http://rss.arxiv.org/rss/{spec}</link>
    <description>{escape(description)}</description>
    <atom:link href="http://rss.arxiv.org/rss/{spec}" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <generator></generator>
    <language>en-us</language>
    <lastBuildDate>{pubdate.replace('00:00:00 -0400', '04:00:11 +0000')}</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>{pubdate}</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>
"""
    return head + "".join(i + "\n" for i in items) + "  </channel>\n</rss>\n"


def author_links(authors):
    def query(name):
        parts = name.split(" ")
        return f"{parts[-1]},+{parts[0][0]}".replace(" ", "+")
    return ", ".join(
        f'<a href="https://arxiv.org/search/cs?searchtype=author&amp;query={escape(query(a))}" '
        f'rel="nofollow">{escape(a)}</a>' for a in authors)


def listing_entry(p, version, section, index):
    pid = p["id"]
    marker = ""
    if section == "cross":
        marker = f"\n      (cross-list from {p['cats'][0]})\n"
    elif section == "rep":
        marker = "\n      (replaced)\n"
    subjects = f'<span class="primary-subject">{NAMES[p["cats"][0]]} ({p["cats"][0]})</span>'
    subjects += "".join(f"; {NAMES[c]} ({c})" for c in p["cats"][1:])
    extra = ""
    if p["comments"]:
        extra += (f"\n        <div class='list-comments mathjax'><span class='descriptor'>"
                  f"Comments:</span>\n          {escape(p['comments'])}\n        </div>\n")
    if p["journal_ref"]:
        extra += (f"\n        <div class='list-journal-ref'><span class='descriptor'>"
                  f"Journal-ref:</span>\n          {escape(p['journal_ref'])}\n        </div>\n")
    return f"""    <dt>
      <a name='item{index}'>[{index}]</a>
      <a href ="/abs/{pid}" title="Abstract" id="{pid}">
        arXiv:{pid}
      </a>
      {marker}
      [<a href="/pdf/{pid}" title="Download PDF" id="pdf-{pid}" aria-labelledby="pdf-{pid}">pdf</a>, <a href="https://arxiv.org/html/{pid}v{version}" title="View HTML" id="html-{pid}" aria-labelledby="html-{pid}" rel="noopener noreferrer" target="_blank">html</a>, <a href="/format/{pid}" title="Other formats" id="oth-{pid}" aria-labelledby="oth-{pid}">other</a>]
    </dt>
    <dd>
      <div class='meta'>
        <div class='list-title mathjax'><span class='descriptor'>Title:</span>
          {escape(p['title'])}
        </div>
        <div class='list-authors'>{author_links(p['authors'])}</div>
{extra}
        <div class='list-subjects'><span class='descriptor'>Subjects:</span>
          {subjects}
        </div>

        <p class='mathjax'>
          {escape(p['abstract'])}
        </p>
      </div>
    </dd>
"""


def listing_page(cat, date_text, sections):
    total = sum(len(items) for _, items in sections)
    index = 0
    body = ""
    index_links = ""
    for kind, items in sections:
        heading = {"new": "New submissions", "cross": "Cross submissions",
                   "rep": "Replacement submissions"}[kind]
        link = {"new": "New submissions", "cross": "Cross-lists", "rep": "Replacements"}[kind]
        index_links += f'  <li><a href="#item{index + 1 if index else 0}" rel="nofollow">{link}</a></li>\n'
        body += f"<dl id='articles'>\n    <h3>{heading} (showing {len(items)} of {len(items)} entries)</h3>\n\n"
        for p, version in items:
            index += 1
            body += listing_entry(p, version, kind, index)
        body += "</dl>\n"
    paging = ""
    if total:
        paging = (f"    <div class='paging'>Total of {total} entries \n    </div>\n"
                  f"    <div class='morefewer'>Showing up to 2000 entries per page:\n"
                  f"      <a href=/list/{cat}/new?skip=0&amp;show=1000 rel=\"nofollow\">\n"
                  f"      fewer</a> |\n      <span style=\"color: #454545\">more</span> |\n"
                  f"      <span style=\"color: #454545\">all</span>\n    </div>\n")
    else:
        body = "    <p>No updates today.</p>\n"
    name = NAMES[cat]
    return f"""<!DOCTYPE html>
<html lang="en">

<head>  <title>{name}  </title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" type="text/css" media="screen" href="https://static.arxiv.org/static/browse/0.3.4/css/arXiv.css" />
  <script src="//static.arxiv.org/static/browse/0.3.4/js/mathjaxToggle.min.js" type="text/javascript"></script>
</head>

<body  class="with-cu-identity">
<div id="content">
<div id='content-inner'>
<div id='dlpage'>
  <h1>{name} ({cat})</h1>

<ul>
{index_links}</ul>

<p>See <a id="recent-{cat}" aria-labelledby="recent-{cat}" href="/list/{cat}/recent">recent</a> articles</p>
<h3>Showing new listings for {date_text}</h3>
{paging}
{body}
{paging}</div>
</div>
</div>
</body>
</html>
"""


def main():
    rss = HERE
    listing = HERE.parent / "listing"
    listing.mkdir(exist_ok=True)
    items = [rss_item(p, v, k) for p, v, k, _ in DAY]
    (rss / "cs.LG+cs.AI_2026-06-18.xml").write_text(rss_feed("cs.LG+cs.AI", items),
                                                     encoding="utf-8")
    (rss / "cs.LG_empty_2026-06-20.xml").write_text(
        rss_feed("cs.LG", [], pubdate="Sat, 20 Jun 2026 00:00:00 -0400"), encoding="utf-8")
    sections = []
    for kind in ("new", "cross", "rep"):
        sel = [(p, v) for p, v, _, s in DAY if s == kind]
        if sel:
            sections.append((kind, sel))
    (listing / "cs.LG_new_2026-06-18.html").write_text(
        listing_page("cs.LG", "Thursday, 18 June 2026", sections), encoding="utf-8")
    (listing / "cs.LG_new_no_updates.html").write_text(
        listing_page("cs.LG", "Monday, 22 June 2026", []), encoding="utf-8")


if __name__ == "__main__":
    main()
