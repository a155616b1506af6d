#!/usr/bin/env bash
# The Debian packages a make target needs: installed when run as root, otherwise named in the
# exact command to run. Called by `make demo` and `make test`, so that the README's two commands
# are the whole set-up on a fresh Debian 12.
#
#   scripts/system_packages.sh demo|test PYTHON
#
# PYTHON is the interpreter the Makefile chose (empty when none was found). pyenv's interpreters
# carry venv; Debian's needs python3-venv.
set -euo pipefail
target="${1:?demo or test}"
python="${2:-}"

# WeasyPrint's libraries: the PDF documents (agreements, extracts, posters, reviews).
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ -z "$python" ]; then
  packages+=(python3 python3-venv)
elif [[ "$python" == /usr/bin/* ]]; then
  packages+=(python3-venv)
fi
if [ "$target" = test ]; then
  # Browser tests drive Debian's Chromium, never a downloaded browser.
  packages+=(chromium libatomic1 fonts-liberation)
  # Node only installs axe-core for the browser tests. A Node from elsewhere (NodeSource ships
  # npm inside its nodejs, which conflicts with Debian's npm) is kept as it is.
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Paquets système manquants pour « make $target » : ${missing[*]}" >&2
  echo "Installez-les (en root) : sudo sh -c '$command'" >&2
  exit 1
fi
echo "Installation des paquets système : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
