# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by the tests whose real clients fetch from a small origin:
# make_www_origin DIR LABEL writes DIR/file (one line, $payload) and
# DIR/repo.git, a bare git repository with one commit ($head_commit),
# ready for git's dumb HTTP. Returns non-zero when git fails; its output
# is in DIR/../git-setup.log. make_npm_document DIR NAME ORIGIN then writes
# DIR/NAME, the registry document of one npm package whose description is
# $payload, as a registry serves it at ORIGIN/NAME (`npm view` reads
# nothing else).

make_www_origin() {
  local www=$1 label=$2 src
  src=$(dirname "$www")/src
  payload="gatepass $label payload $RANDOM$RANDOM"
  mkdir -p "$www"
  printf '%s\n' "$payload" >"$www/file"
  export GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=/bin/false
  { git init -q "$src" &&
    printf '%s\n' "$payload" >"$src/README" &&
    git -C "$src" add README &&
    git -C "$src" -c user.name=Test -c user.email=test@example.invalid commit -qm init &&
    git init -q --bare "$www/repo.git" &&
    git -C "$src" push -q "$www/repo.git" HEAD:refs/heads/main &&
    git -C "$www/repo.git" symbolic-ref HEAD refs/heads/main &&
    git -C "$www/repo.git" update-server-info; } >"$(dirname "$www")/git-setup.log" 2>&1 &&
    head_commit=$(git -C "$www/repo.git" rev-parse refs/heads/main)
}

make_npm_document() {
  local www=$1 name=$2 origin=$3
  cat >"$www/$name" <<EOF
{ "name": "$name", "description": "$payload",
  "dist-tags": { "latest": "1.0.0" },
  "versions": { "1.0.0": { "name": "$name", "version": "1.0.0", "description": "$payload",
                           "dist": { "tarball": "$origin/$name-1.0.0.tgz" } } } }
EOF
}
