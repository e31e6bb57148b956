#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make bench's host side, after the guest boots: merge their results.json
files, print the tail-latency table, draw the latency histograms as SVG.

  bench-latency.py --out RESULTS.json --svg LATENCY.svg BOOT.json...

The first BOOT.json is the full benchmark's (its rows, targets, losses),
every further one adds its "latency" series and notes (make bench's second
boot, on the real-time kernel). RESULTS.json gets them all, and "boots":
the kernel, machine and mode of each. The SVG has one plot per kernel:
each series' histogram (the guest's log grid, "latency_histogram") as a
step line, counts on a log axis. Only the standard library: no matplotlib.
"""
import argparse
import json
import math
import sys

# the series, in the order of the table and the legend: id, short name, colour
SERIES = [
    ("lat.poll", "umdp wait+fetch (poll)", "#1f77b4"),
    ("lat.spin", "umdp status page spin", "#2ca02c"),
    ("lat.uio", "UIO read()", "#d62728"),
    ("lat.cyclictest.cpu0", "cyclictest, CPU 0", "#7f7f7f"),
    ("lat.cyclictest.cpu1", "cyclictest, CPU 1", "#9467bd"),
]
LOADS = [("idle", "idle", None), ("stress-ng", "stress-ng", "6,3")]


def series_key(s):
    ids = [x[0] for x in SERIES]
    loads = [x[0] for x in LOADS]
    return (ids.index(s["id"]) if s["id"] in ids else len(ids),
            loads.index(s["load"]) if s["load"] in loads else len(loads))


def merge(paths):
    boots, merged = [], None
    for path in paths:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        boots.append({k: d.get(k) for k in ("kernel", "machine", "mode", "date")})
        if merged is None:
            merged = d
            continue
        merged.setdefault("latency", []).extend(d.get("latency", []))
        merged.setdefault("notes", []).extend(
            "%s (%s): %s" % (d.get("kernel"), d.get("machine"), n)
            for n in d.get("notes", []))
    merged["boots"] = boots
    return merged


def us(ns):
    return "%.1f" % (ns / 1000.0)


def print_table(d):
    lat = d.get("latency", [])
    if not lat:
        print("\nTail latency: no series (see the notes)")
        return
    print("\nTail latency, us: edu's level INTx raised by the driver on CPU 0 (an MMIO write), handled on CPU 1;")
    print("from just before the raise to the driver holding the new count; 100,000 interrupts per series,")
    print("50 us apart; the driver SCHED_OTHER. cyclictest (SCHED_FIFO 80, a thread per CPU, every 500 us")
    print("for 15 s): how late its timer wakes it, the kernel's own floor. stress-ng: --cpu 1 on CPU 1.")
    kernels = []
    for s in lat:
        if (s["kernel"], s["machine"]) not in kernels:
            kernels.append((s["kernel"], s["machine"]))
    for kernel, machine in kernels:
        print("\n%-46s %-10s %8s %5s %8s %8s %8s %8s %8s" % (
            "%s (%s)" % (kernel, machine), "load", "n", "lost", "min", "p50",
            "p99", "p99.9", "max"))
        rows = sorted((s for s in lat if (s["kernel"], s["machine"]) == (kernel, machine)),
                      key=series_key)
        for s in rows:
            name = next((n for i, n, _ in SERIES if i == s["id"]), s["label"])
            print("  %-44s %-10s %8d %5d %8s %8s %8s %8s %8s" % (
                name[:44], s["load"], s["n"], s["lost"], us(s["min_ns"]),
                us(s["p50_ns"]), us(s["p99_ns"]), us(s["p99_9_ns"]), us(s["max_ns"])))


def svg(d, path):
    lat = d.get("latency", [])
    grid = d.get("latency_histogram", {"lo_ns": 1000, "bins_per_decade": 20, "bins": 100})
    lo, per, nbins = grid["lo_ns"], grid["bins_per_decade"], grid["bins"]
    kernels = []
    for s in lat:
        if (s["kernel"], s["machine"]) not in kernels:
            kernels.append((s["kernel"], s["machine"]))
    # x: the bins that hold anything, whole decades
    used = [k for s in lat for k, c in enumerate(s["histogram"]) if c]
    kmin = (min(used) // per) * per if used else 0
    kmax = min(nbins, (max(used) // per + 1) * per) if used else nbins
    ymax = max([c for s in lat for c in s["histogram"]] + [10])
    ydec = max(1, math.ceil(math.log10(ymax)))
    W, left, right, top, ph, gap, legend_w = 1000, 70, 10, 50, 330, 90, 270
    pw = W - left - right - legend_w
    H = top + len(kernels) * (ph + gap) + 10
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">' % (W, H, W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">umdp tail latency '
           'under QEMU TCG: edu INTx raised on CPU 0, handled on CPU 1</text>' % left,
           '<text x="%d" y="40" fill="#444">histogram of each series (20 bins per '
           'decade), counts on a log axis; dashed: stress-ng on CPU 1; cyclictest: '
           'SCHED_FIFO 80, one thread per CPU</text>' % left]

    def xpos(k):
        return left + pw * (k - kmin) / float(kmax - kmin)

    def ypos(c, y0):
        return y0 + ph - (ph * math.log10(c) / ydec if c >= 1 else 0)

    for p, (kernel, machine) in enumerate(kernels):
        y0 = top + p * (ph + gap) + 20
        out.append('<text x="%d" y="%d" font-weight="bold">Linux %s (%s)</text>'
                   % (left, y0 - 8, kernel, machine))
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#000"/>'
                   % (left, y0, pw, ph))
        for k in range(kmin, kmax + 1, per):
            x = xpos(k)
            ns = lo * 10 ** (k / per)
            label = ("%g us" % (ns / 1e3)) if ns < 1e6 else ("%g ms" % (ns / 1e6))
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, y0, x, y0 + ph))
            out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x, y0 + ph + 16, label))
        for e in range(0, ydec + 1):
            y = ypos(10 ** e, y0)
            out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>' % (left, y, left + pw, y))
            out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y + 4, "{:,}".format(10 ** e)))
        out.append('<text x="%d" y="%d" text-anchor="middle">latency (log scale)</text>'
                   % (left + pw // 2, y0 + ph + 34))
        out.append('<text transform="translate(%d,%d) rotate(-90)" text-anchor="middle">'
                   'interrupts or timer expiries per bin</text>' % (left - 52, y0 + ph // 2))
        rows = sorted((s for s in lat if (s["kernel"], s["machine"]) == (kernel, machine)),
                      key=series_key)
        ly = y0 + 6
        for s in rows:
            colour = next((c for i, _, c in SERIES if i == s["id"]), "#000")
            name = next((n for i, n, _ in SERIES if i == s["id"]), s["label"])
            dash = next((dd for l, _, dd in LOADS if l == s["load"]), None)
            loadname = next((n for l, n, _ in LOADS if l == s["load"]), s["load"])
            pts = []
            for k in range(kmin, kmax):
                c = s["histogram"][k]
                y = ypos(c, y0)
                pts.append("%.1f,%.1f %.1f,%.1f" % (xpos(k), y, xpos(k + 1), y))
            da = ' stroke-dasharray="%s"' % dash if dash else ""
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.6"%s points="%s"/>'
                       % (colour, da, " ".join(pts)))
            lx = left + pw + 14
            out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>'
                       % (lx, ly + 8, lx + 26, ly + 8, colour, da))
            out.append('<text x="%d" y="%d">%s, %s</text>' % (lx + 32, ly + 12, name, loadname))
            out.append('<text x="%d" y="%d" fill="#555" font-size="10">p50 %s, p99.9 %s, max %s us</text>'
                       % (lx + 32, ly + 25, us(s["p50_ns"]), us(s["p99_9_ns"]), us(s["max_ns"])))
            ly += 32
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--svg", required=True)
    ap.add_argument("boots", nargs="+")
    a = ap.parse_args()
    d = merge(a.boots)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(d, f, indent=2)
        f.write("\n")
    print_table(d)
    svg(d, a.svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
