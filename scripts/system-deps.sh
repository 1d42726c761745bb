#!/usr/bin/env bash
# System packages bookmaker needs on Debian/Ubuntu. Run as root (or with sudo available).
#   --test  also what the test suite needs (Java for EPUBCheck, poppler, pandoc for bench)
set -euo pipefail

packages=(
  python3 python3-venv python3-pip
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0  # WeasyPrint; hb-subset: fonts subset in <1 s, not ~15 s
  fontconfig fonts-noto-cjk fonts-dejavu-core                           # CJK Song/Hei (SC, TC, JP), DejaVu for Latin symbols and code
  fonts-dejavu-extra  # real Latin italics (DejaVu Serif Italic); without it italics are a slanted CJK face
  libwebp7  # big WebP photographs shrunk while they are decoded (webpscale.py); without it Pillow decodes them whole
  fonts-noto-color-emoji fonts-symbola  # emoji (WeasyPrint 70 embeds the colour bitmaps) and symbols in print; without them 👌 is an empty box
)
optional=(fonts-lxgw-wenkai)  # Kai for quotations; older Ubuntu releases lack it and fall back to Song
if [[ "${1:-}" == "--test" ]]; then
  packages+=(default-jre-headless poppler-utils)  # EPUBCheck runs on Java; pdftotext/pdffonts/pdftoppm
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${packages[@]}" "${optional[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  echo "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  for p in "${optional[@]}"; do
    if [[ " ${missing[*]} " == *" $p "* ]] && ! apt-cache show "$p" >/dev/null 2>&1; then
      echo "note: $p is not available here; quotations use the Song face instead"
      missing=("${missing[@]/$p}")
    fi
  done
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends ${missing[*]}
fi
if ! bash "$(dirname "$0")/python.sh" >/dev/null; then
  # Ubuntu 22.04: python3 is 3.10; 3.11 is a package of its own there.
  echo "python3 is older than 3.11: installing python3.11"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv
  bash "$(dirname "$0")/python.sh" >/dev/null || { echo "error: bookmaker needs Python 3.11 or newer" >&2; exit 1; }
fi
fc-list :lang=zh family | grep -q "Noto Serif CJK SC" || { echo "error: Noto Serif CJK SC not found by fontconfig" >&2; exit 1; }
