#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The release's offline copy (.github/workflows/release.yml): build the site so it works opened
# from disk (mkdocs-material's offline plugin, no network), zip it, and attach the zip to the
# GitHub release for the tag, creating the release when there is none.
#
#   scripts/release-offline.sh TAG            build, zip and attach (needs GH_TOKEN)
#   scripts/release-offline.sh TAG --no-upload   build and zip only
#
# Prints the zip's path as its last line.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

tag=${1:?usage: scripts/release-offline.sh TAG [--no-upload]}
upload=yes
case "${2:-}" in
  "") ;;
  --no-upload) upload= ;;
  *) die "unknown option: $2" ;;
esac
[[ "$tag" =~ ^v[0-9A-Za-z._-]+$ ]] || die "a release tag looks like v1.2.0; got '$tag'"
repo_name=${GITHUB_REPOSITORY:-pln-kit}
repo_name=${repo_name##*/}
name="$repo_name-$tag-offline"
site_dir=build/$name
zip_file=dist/$name.zip

"$here/site-build.sh" offline --for-files --site-dir "$site_dir"
# A "page not found" page only serves a web server; from disk it would be a broken extra page.
rm -f "$site_dir/404.html"
cat >"$site_dir/OPEN-ME.txt" <<TXT
$repo_name $tag, offline copy

Open index.html in this folder with a web browser. Every page works from disk, with no
internet connection, search included; the links to the resources themselves still need one.
TXT

step "Pack $site_dir into $zip_file"
mkdir -p dist
rm -f "$zip_file"
"$PYTHON" -m zipfile -c "$zip_file" "$site_dir"
end_step

if [ -n "$upload" ]; then
  step "Attach $zip_file to the release $tag"
  if gh release view "$tag" >/dev/null 2>&1; then
    gh release upload "$tag" "$zip_file" --clobber
  else
    gh release create "$tag" "$zip_file" --title "$tag" --generate-notes --verify-tag
  fi
  end_step
fi
echo "$zip_file"
