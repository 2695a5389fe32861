"""Summarises scripts/gpu-check/run.sh's JSON: decode speed per depth, a linear fit to 64 layers,
and its share of the memory-bandwidth roofline."""
import glob, json, os, sys

out = sys.argv[1]
rows = {}
for f in sorted(glob.glob(os.path.join(out, "*.json"))):
    try:
        r = json.load(open(f))
        if "decode_tok_s" in r:  # error lines have no numbers
            rows[os.path.basename(f)[:-5]] = r
    except Exception:
        pass
def depth_rows(prefix):
    return sorted(((int(k.split("-")[1][:-1]), v) for k, v in rows.items() if k.startswith(prefix)), key=lambda x: x[0])

plain = depth_rows("plain-")
paged = depth_rows("paged-")
print(f"{'run':<16}{'layers':>7}{'load s':>8}{'ttft ms':>9}{'prefill':>10}{'decode':>9}{'ms/tok':>8}{'accept':>8}")
for l, r in plain:
    print(f"{'plain':<16}{l:>7}{r['load_s']:>8.1f}{r['ttft_ms']:>9.1f}{r['prefill_tok_s']:>10.1f}{r['decode_tok_s']:>9.1f}{1000/r['decode_tok_s']:>8.2f}{'-':>8}")
for k, r in rows.items():
    if k.startswith(("paged-", "draft-alone")):
        print(f"{k:<16}{'':>7}{r['load_s']:>8.1f}{r['ttft_ms']:>9.1f}{r['prefill_tok_s']:>10.1f}{r['decode_tok_s']:>9.1f}{1000/r['decode_tok_s']:>8.2f}{'-':>8}")
for k, r in rows.items():
    if k.startswith(("spec-", "shared-")):
        s = r.get("speculative", {})
        acc = s.get("acceptance")
        print(f"{k:<16}{'':>7}{s.get('load_s',0):>8.1f}{s.get('ttft_ms',0):>9.1f}{s.get('prefill_tok_s',0):>10.1f}{s.get('decode_tok_s',0):>9.1f}"
              f"{(1000/s['decode_tok_s']) if s.get('decode_tok_s') else 0:>8.2f}{(f'{acc*100:.0f}%' if acc is not None else '-'):>8}"
              f"  plain {r.get('decode_tok_s',0):.1f} tok/s, ratio {r.get('speedup',0):.2f}x")
def fit(rs):
    xs = [l for l, _ in rs]; ys = [1000 / r["decode_tok_s"] for _, r in rs]
    n = len(xs); mx = sum(xs) / n; my = sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope

if len(paged) >= 2:
    a, b = fit(paged)
    gb = 64 * 0.2545 + 152064 * 5120 * 2 / 1e9
    try:
        bw = float(open(os.path.join(out, "bw.txt")).read().strip())
    except Exception:
        bw = 4270.0
    m = a + 64 * b
    print(f"paged attention fit: {a:.2f} ms + {b:.3f} ms/layer -> 64 layers {m:.1f} ms/token = {1000/m:.1f} tok/s = "
          f"{100*(1000/m)/(bw/gb):.0f}% of the ~{bw/gb:.0f} tok/s roofline")
if len(plain) >= 2:
    xs = [l for l, _ in plain]; ys = [1000 / r["decode_tok_s"] for _, r in plain]
    n = len(xs); mx = sum(xs) / n; my = sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    icpt = my - slope * mx
    ms64 = icpt + 64 * slope
    # Bytes read per token at 64 layers: 4-bit layers (~0.254 GB each incl. scales) + f16 lm_head.
    gb = 64 * 0.2545 + 152064 * 5120 * 2 / 1e9
    # GB/s of a device-to-device copy on this card (run.sh), else the H200 figure in shared/cuda.
    try:
        bw = float(open(os.path.join(out, "bw.txt")).read().strip())
    except Exception:
        bw = 4270.0
    roof = bw / gb
    print(f"fit: {icpt:.2f} ms + {slope:.3f} ms/layer -> 64 layers {ms64:.1f} ms/token = {1000/ms64:.1f} tok/s; "
          f"roofline ~{roof:.0f} tok/s ({gb:.1f} GB/token) -> {100*(1000/ms64)/roof:.0f}% of roofline")

    # Gamma model for the 64-layer target: a step drafts g tokens (cost measured with the
    # never-agreeing 0.6B-shaped draft at the measured depth) and verifies them; the target's
    # extra depth adds (ms64 - ms_at_depth) to each verification. Expected tokens per step at
    # acceptance a: (1 - a^(g+1)) / (1 - a).
    spec = {}
    for k, r in rows.items():
        if k.startswith("spec-"):
            depth = int(k.split("-")[1][:-1]); g = int(k.split("-g")[1])
            sd = r.get("speculative", {}).get("decode_tok_s")
            if sd:
                spec[g] = 1000 / sd + (ms64 - (icpt + depth * slope))
    if spec:
        alphas = [0.5, 0.6, 0.7, 0.8, 0.9]
        print("predicted 64-layer speed-up over plain by draft acceptance (0.6B-shaped draft):")
        print(f"{'gamma':<8}{'step ms':>9}" + "".join(f"{f'a={a:.1f}':>9}" for a in alphas))
        for g in sorted(spec):
            cells = "".join(f"{((1 - a ** (g + 1)) / (1 - a)) / spec[g] * ms64:>8.2f}x" for a in alphas)
            print(f"{g:<8}{spec[g]:>9.1f}{cells}")
