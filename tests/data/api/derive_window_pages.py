# Derives window2026-06-18_s{0,10}_m10.xml from two real API pages (see PROVENANCE.md).
# Usage: python3 derive_window_pages.py tests/data/api tests/data/api
import re, sys
src_dir, out_dir = sys.argv[1], sys.argv[2]

def derive(src, dst, total, edits):
    body = open(f"{src_dir}/{src}", "rb").read().decode("utf-8")
    body = body.replace("<opensearch:totalResults>214881</opensearch:totalResults>",
                        f"<opensearch:totalResults>{total}</opensearch:totalResults>", 1)
    for old_id, new_id, when in edits:
        if new_id is None:
            continue
        entry_start = body.index(f"<id>http://arxiv.org/abs/{old_id}</id>")
        entry_end = body.index("</entry>", entry_start)
        entry = body[entry_start:entry_end]
        entry = entry.replace(old_id, new_id)
        entry = re.sub(r"<published>[^<]*</published>", f"<published>{when}</published>", entry)
        entry = re.sub(r"<updated>[^<]*</updated>", f"<updated>{when}</updated>", entry)
        body = body[:entry_start] + entry + body[entry_end:]
    open(f"{out_dir}/{dst}", "wb").write(body.encode("utf-8"))

derive("api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml", "window2026-06-18_s0_m10.xml", 20, [
    ("2202.12139v1", "2606.16001v1", "2026-06-16T18:01:07Z"),
    ("2405.13786v1", "2606.16002v1", "2026-06-16T19:12:45Z"),
    ("2005.14124v2", "2606.16003v1", "2026-06-16T20:30:00Z"),
    ("2204.08348v3", "2606.16004v1", "2026-06-16T23:59:59Z"),
    ("2302.03287v3", "2606.16005v1", "2026-06-17T03:14:15Z"),
    ("1202.4527v1", None, None),  # left as it is: submitted in 2012
    ("2503.05378v2", "2606.16007v1", "2026-06-17T18:00:59Z"),
    ("1205.1866v1", "2606.16008v1", "2026-06-17T09:00:00Z"),  # cs.AR only
    ("2502.07719v2", "2606.16009v1", "2026-06-17T12:00:00Z"),
    ("1812.11470v1", "2606.16010v1", "2026-06-16T18:00:30Z"),  # the previous cutoff's minute
])
derive("api2026_q_testing_s10_m10_34e56e15aaac_http200.xml", "window2026-06-18_s10_m10.xml", 20, [
    ("2403.16981v2", "2606.16011v1", "2026-06-16T18:30:00Z"),  # math.ST, cross-listed stat.ML
    ("2004.03322v1", "2606.16012v1", "2026-06-16T21:00:00Z"),  # stat.AP only
    ("1912.09881v1", "2606.16013v1", "2026-06-17T01:00:00Z"),
    ("2406.19956v3", "2606.16014v1", "2026-06-17T02:00:00Z"),  # econ.EM only
    ("1912.04900v1", "2606.16015v1", "2026-06-17T04:00:00Z"),
    ("2301.05651v1", "2606.16016v1", "2026-06-17T06:00:00Z"),  # cs.LG, cross-listed cs.SE
    ("1605.01097v1", "2606.16017v1", "2026-06-17T08:00:00Z"),
    ("2301.13615v1", "2606.16018v1", "2026-06-17T18:01:00Z"),  # after this listing's cutoff
    ("2407.18756v1", "2606.16019v1", "2026-06-17T10:00:00Z"),
    ("2202.06271v1", "2606.16020v1", "2026-06-17T17:59:00Z"),
])
