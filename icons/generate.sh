#!/usr/bin/env bash
# Renders icons/icon.svg into the full Tauri 2 bundler icon set, beside this script:
#   32x32.png 64x64.png 128x128.png 128x128@2x.png icon.png(512) icon.ico icon.icns
#   Square{30,44,71,89,107,142,150,284,310}x…Logo.png StoreLogo.png(50)
# Every PNG is 8-bit RGBA (Tauri rejects RGB PNGs). Needs rsvg-convert (apt: librsvg2-bin) or
# ImageMagick with its SVG delegate; python3 writes icon.ico and icon.icns (stdlib only).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SVG="$DIR/icon.svg"
[[ -f "$SVG" ]] || { echo "icons: missing $SVG" >&2; exit 1; }

if ! command -v rsvg-convert >/dev/null; then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    echo "icons: installing librsvg2-bin (rsvg-convert)" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends librsvg2-bin >/dev/null \
      || { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive \
             apt-get install -y --no-install-recommends librsvg2-bin >/dev/null; } || true
  fi
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/anamnesis-icons.XXXXXX")"
trap 'rm -rf -- "$TMP"' EXIT

# render SIZE OUT: SVG -> RGBA PNG of SIZE x SIZE.
render() {
  local size="$1" out="$2"
  if command -v rsvg-convert >/dev/null; then
    rsvg-convert --format=png --keep-aspect-ratio -w "$size" -h "$size" "$SVG" -o "$out.raw.png"
    # rsvg-convert always writes RGBA; normalise through ImageMagick when present to strip metadata.
    if command -v convert >/dev/null; then
      convert "$out.raw.png" -strip "PNG32:$out"
      rm -f "$out.raw.png"
    else
      mv "$out.raw.png" "$out"
    fi
  elif command -v convert >/dev/null; then
    convert -background none -density 384 "$SVG" -resize "${size}x${size}" -strip "PNG32:$out"
  else
    echo "icons: need rsvg-convert (apt install librsvg2-bin) or ImageMagick" >&2
    exit 1
  fi
}

# Render every size needed once, into the temp dir.
SIZES=(16 24 30 32 44 48 50 64 71 89 107 128 142 150 256 284 310 512 1024)
for s in "${SIZES[@]}"; do
  render "$s" "$TMP/$s.png"
done

cp "$TMP/32.png" "$DIR/32x32.png"
cp "$TMP/64.png" "$DIR/64x64.png"
cp "$TMP/128.png" "$DIR/128x128.png"
cp "$TMP/256.png" "$DIR/128x128@2x.png"
cp "$TMP/512.png" "$DIR/icon.png"
for s in 30 44 71 89 107 142 150 284 310; do
  cp "$TMP/$s.png" "$DIR/Square${s}x${s}Logo.png"
done
cp "$TMP/50.png" "$DIR/StoreLogo.png"

python3 - "$TMP" "$DIR" <<'PY'
import struct, sys, zlib
tmp, out = sys.argv[1], sys.argv[2]

def png(size):
    with open(f"{tmp}/{size}.png", "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", size
    w, h, depth, ctype = struct.unpack(">IIBB", data[16:26])
    assert (w, h, depth, ctype) == (size, size, 8, 6), (size, w, h, depth, ctype)  # 8-bit RGBA
    return data

def rgba_rows(data):
    """Decodes an 8-bit RGBA non-interlaced PNG to a list of rows of bytes (RGBA)."""
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype == 6 and interlace == 0
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, bpp = zlib.decompress(idat), w * 4, 4
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ft, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1: line[x] = (line[x] + a) & 255
            elif ft == 2: line[x] = (line[x] + b) & 255
            elif ft == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows

def bmp_entry(size):
    """32-bit BGRA DIB (BITMAPINFOHEADER, bottom-up, with AND mask) for classic ICO readers."""
    w, h, rows = rgba_rows(png(size))
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = bytearray()
    for row in reversed(rows):
        for x in range(0, len(row), 4):
            r, g, b, a = row[x:x + 4]
            pixels += bytes((b, g, r, a))
    mask_stride = ((w + 31) // 32) * 4
    mask = bytearray()
    for row in reversed(rows):
        bits = bytearray(mask_stride)
        for x in range(w):
            if row[4 * x + 3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    return header + bytes(pixels) + bytes(mask)

# icon.ico: BMP entries up to 64 px (widest compatibility), PNG entry for 256 px.
ico_sizes = [16, 24, 32, 48, 64, 256]
blobs = [png(s) if s >= 256 else bmp_entry(s) for s in ico_sizes]
head = struct.pack("<HHH", 0, 1, len(ico_sizes))
offset = 6 + 16 * len(ico_sizes)
entries = b""
for s, blob in zip(ico_sizes, blobs):
    entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(blob), offset)
    offset += len(blob)
with open(f"{out}/icon.ico", "wb") as f:
    f.write(head + entries + b"".join(blobs))

# icon.icns: PNG payloads keyed by OSType.
icns_types = [(b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic08", 256), (b"ic13", 256),
              (b"ic09", 512), (b"ic14", 512), (b"ic10", 1024)]
body = b"".join(t + struct.pack(">I", 8 + len(png(s))) + png(s) for t, s in icns_types)
with open(f"{out}/icon.icns", "wb") as f:
    f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
PY
