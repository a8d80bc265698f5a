#!/usr/bin/env bash
# Corpus benchmark for the static scanner: installs a pinned set of real npm
# packages (with their dependencies, --ignore-scripts) into a cache outside
# git, then scans the whole tree with every rule and prints files, MB,
# seconds, MB/s, peak RSS and findings per code.
#   bash bench/jsscan-corpus.sh            # install (first run) + scan
#   SAMPLE=5 bash bench/jsscan-corpus.sh   # also print 5 findings per code
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${LEAKLSP_CACHE:-$PWD/.cache}/jsscan-corpus"
PACKAGES=(
  express@4.21.2 koa@2.15.3 fastify@5.2.0 lodash@4.17.21 async@3.2.6 bluebird@3.7.2
  rxjs@7.8.1 mongodb@6.12.0 mongoose@8.9.3 pg@8.13.1 redis@4.7.0 ioredis@5.4.2
  @grpc/grpc-js@1.12.5 ws@8.18.0 socket.io@4.8.1 axios@1.7.9 undici@7.2.0 got@14.4.5
  typescript@5.9.3 webpack@5.97.1 rollup@4.29.1 @babel/core@7.26.0 eslint@9.17.0
  prettier@3.4.2 jest@29.7.0 mocha@11.0.1 winston@3.17.0 pino@9.6.0 sequelize@6.37.5
  knex@3.1.0 typeorm@0.3.20 tslib@2.8.1 moment@2.30.1 date-fns@4.1.0 react-dom@18.3.1
  vue@3.5.13
)
if [[ ! -f "$CORPUS/.installed" ]] || [[ "$(cat "$CORPUS/.installed")" != "${PACKAGES[*]}" ]]; then
  echo "jsscan-corpus: installing ${#PACKAGES[@]} packages into $CORPUS" >&2
  mkdir -p "$CORPUS"
  [[ -f "$CORPUS/package.json" ]] || echo '{"name":"jsscan-corpus","private":true}' > "$CORPUS/package.json"
  npm install --prefix "$CORPUS" --ignore-scripts --no-audit --no-fund --legacy-peer-deps \
    --save-exact "${PACKAGES[@]}" >&2
  echo "${PACKAGES[*]}" > "$CORPUS/.installed"
fi
go run ./bench/jsscancorpus -sample "${SAMPLE:-0}" "$CORPUS/node_modules"
