#!/usr/bin/env bash
# The Debian packages that `make test` needs beyond python3:
#   chromium      the site and JupyterLab tests (driven by Playwright; never a downloaded browser)
#   postgresql    the shared-gradebook tests (a real server, started by the tests)
#   bubblewrap    the grading sandbox (`make grade` refuses to run without it)
#   poppler-utils pdftotext/pdfinfo, to read the PDF edition back
#   fonts-wqy-microhei  a Chinese font, for the Chinese terms of the PDF edition (else they print as boxes)
#   npm           installs the JupyterHub proxy (configurable-http-proxy, pinned in hub/package-lock.json)
#   python3-venv  the hub users' environment, a venv of Debian's python3 (make hub; coursekit/hub.py)
#   fonts-noto-cjk  Noto Sans CJK, from which the book build cuts the site's Chinese web font (chapters/_ext/page_fit.py)
# Run as root with apt-get: installs what is missing.  Otherwise: prints the one apt-get line and fails,
# so that no test is skipped for want of a package.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
fc-list "Noto Sans CJK SC" 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || need+=(npm)
/usr/bin/python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need+=(python3-venv)
command -v useradd >/dev/null 2>&1 || need+=(passwd)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing the Debian packages the tests need: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
    exit 0
fi
echo "make test needs these Debian packages, and this user cannot install them (not root, or no apt-get):" >&2
echo "    sudo apt-get install -y ${need[*]}" >&2
exit 1
