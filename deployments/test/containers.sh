#!/usr/bin/env bash
# Builds both images from the unchanged Dockerfiles with podman, runs the unchanged docker-compose.yml stack, triggers
# the operator's oneshot and checks what a deployer would: health checks, the API's answers, non-root processes, a
# clean SIGTERM. No image registry is reachable here, so the base images the Dockerfiles and the compose file name
# are first built as local stand-ins from Debian's packages (deployments/test/standins/*.Containerfile say how each
# differs); --real-base-images pulls the real ones instead where a registry answers.
#
#   deployments/test/containers.sh [--real-base-images] [--keep]
#
# Needs (Debian): podman runc debootstrap python3-yaml. Runs as root (rootful podman). Work files: target/containers.
# Exit 0 when every check passed, 3 when this machine cannot run containers (said why), 1 otherwise.
# Last line: RESULT images_built=2 stack_healthy=... oneshot_exit=... api_listings=... api_image_mb=... worker_image_mb=...
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$ROOT/target/containers
REAL_BASE=0
KEEP=0
for arg in "$@"; do
  case "$arg" in
    --real-base-images) REAL_BASE=1 ;;
    --keep) KEEP=1 ;;
    *) echo "usage: $0 [--real-base-images] [--keep]" >&2; exit 64 ;;
  esac
done
mkdir -p "$WORK"
# runc with the cgroupfs manager and no default ulimits: what starts containers in sandboxes like CI's.
cat > "$WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
export CONTAINERS_CONF=$WORK/containers.conf
STANDINS=$ROOT/deployments/test/standins
say() { printf '== %s\n' "$*"; }
# Exit 3: this machine cannot do it (no Debian mirror, podman unable to run a container or to give it a network),
# which says nothing of the images; ContainersScriptTest reports that as a skip with the reason, anything else fails.
cannot() { echo "cannot run here: $*"; exit 3; }
exists() { podman image exists "$1"; }

# --- 1. Base images -------------------------------------------------------------------------------------------------
# The names the Dockerfiles and the compose file use, fully qualified as podman resolves them.
declare -A BASE=(
  [temurin-jre]=docker.io/library/eclipse-temurin:17-jre
  [maven]=docker.io/library/maven:3.9-eclipse-temurin-17
  [postgres]=docker.io/library/postgres:16
  [kafka]=docker.io/apache/kafka:4.1.1
)
standin_id() { # a recipe's fingerprint: a stand-in is rebuilt when its files or the trusted authorities change
  (shopt -s nullglob; cat "$STANDINS/$1".* "$STANDINS/$1"-* /usr/local/share/ca-certificates/*.crt) | sha256sum | cut -c1-12
}
build_standin() { # name [image]: builds deployments/test/standins/NAME.Containerfile as IMAGE
  local name=$1 image=${2:-${BASE[$1]}} id
  id=$(standin_id "$name")
  if exists "$image" && [ "$(podman image inspect --format '{{ index .Labels "dev.gputracker.recipe" }}' "$image")" = "$id" ]; then
    return
  fi
  say "stand-in $image"
  podman build -q --network host --pull=never --label "dev.gputracker.recipe=$id" -t "$image" \
    -f "$STANDINS/$name.Containerfile" "$WORK/context" > "$WORK/standin-$name.log" 2>&1 \
    || { tail -30 "$WORK/standin-$name.log"; cannot "the stand-in $image did not build (Debian's packages or Maven Central out of reach?)"; }
}
smoke_test() { # can podman run a container here, on a network of its own?
  local out
  out=$(podman run --rm localhost/gpu-tracker-standin/bookworm:base true 2>&1) \
    || cannot "podman cannot start a container: $(printf '%s' "$out" | tail -1)"
  podman network exists gpu-tracker-smoke || podman network create gpu-tracker-smoke > /dev/null 2>&1 \
    || cannot "podman cannot create a network"
  out=$(podman run --rm --network gpu-tracker-smoke localhost/gpu-tracker-standin/bookworm:base true 2>&1) \
    || { podman network rm -f gpu-tracker-smoke > /dev/null 2>&1; cannot "podman cannot attach a container to a network: $(printf '%s' "$out" | tail -1)"; }
  podman network rm -f gpu-tracker-smoke > /dev/null 2>&1 || true
}
base_images() {
  if [ "$REAL_BASE" = 1 ]; then
    for image in "${BASE[@]}"; do say "pull $image"; podman pull -q "$image" > /dev/null; done
    return
  fi
  if ! exists localhost/gpu-tracker-standin/bookworm:rootfs; then
    say "debootstrap bookworm (minbase)"
    local mirror rootfs=$WORK/rootfs
    # The mirror this machine's apt uses, so the stand-ins come from the same place as its own packages.
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" ${mirror:+"$mirror"} > "$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log"; cannot "debootstrap could not fetch Debian bookworm"; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import - localhost/gpu-tracker-standin/bookworm:rootfs > /dev/null 2>&1
    rm -rf "$rootfs"
  fi
  rm -rf "$WORK/context" && mkdir -p "$WORK/context/ca"
  cp "$STANDINS"/* "$WORK/context/"
  cp /usr/local/share/ca-certificates/*.crt "$WORK/context/ca/" 2>/dev/null || true
  build_standin bookworm localhost/gpu-tracker-standin/bookworm:base
  smoke_test
  build_standin temurin-jre
  build_standin maven
  build_standin postgres
  build_standin kafka
  podman image prune -f > /dev/null # the build stages' leftovers
}

# --- 2. The product's images, from the unchanged Dockerfiles ---------------------------------------------------------
image_mb() { podman image inspect --format '{{.Size}}' "$1" | awk '{printf "%d", $1 / 1000000}'; }
build_images() {
  # Maven's repository of this machine is lent to the build stages (podman build -v), so their dependency layer
  # resolves without downloading the project's dependencies again; the Dockerfiles are used as they are.
  local m2=${MAVEN_REPOSITORY:-$HOME/.m2/repository} cache=()
  [ -d "$m2" ] && cache=(-v "$m2:/root/.m2/repository")
  for service in api worker; do
    say "build gpu-tracker-$service:local from services/$service/Dockerfile"
    local started=$SECONDS
    podman build --network host --pull=never "${cache[@]}" -t "gpu-tracker-$service:local" \
      -f "services/$service/Dockerfile" . > "$WORK/build-$service.log" 2>&1 \
      || { tail -40 "$WORK/build-$service.log"; echo "error: the $service image did not build (log: $WORK/build-$service.log)"; exit 1; }
    say "gpu-tracker-$service:local: $(image_mb "gpu-tracker-$service:local") MB, built in $((SECONDS - started)) s"
  done
}

# --- 3. The stack ----------------------------------------------------------------------------------------------------
COMPOSE=(/usr/bin/python3 "$ROOT/deployments/test/compose.py" -f "$ROOT/docker-compose.yml")
STACK_HEALTHY=false
ONESHOT_EXIT=-1
API_LISTINGS=0
cleanup() {
  if [ "$KEEP" = 0 ]; then "${COMPOSE[@]}" down > /dev/null 2>&1 || true; fi
}
api_get() { # path -> status line, then body: a GET from inside the compose network (deployments/test/HttpGet.java)
  podman run --rm --network gpu-tracker_default -v "$ROOT/deployments/test/HttpGet.java:/probe/HttpGet.java:ro" \
    docker.io/library/eclipse-temurin:17-jre java -XX:TieredStopAtLevel=1 -Xmx64m /probe/HttpGet.java "http://api:8080$1"
}
stack() {
  trap cleanup EXIT
  "${COMPOSE[@]}" down > /dev/null 2>&1 || true
  say "compose up (PostgreSQL, Kafka, migrate, API, worker, demo marketplace)"
  "${COMPOSE[@]}" up
  STACK_HEALTHY=true
  for service in postgres kafka api worker; do
    [ "$("${COMPOSE[@]}" health "$service")" = healthy ] || STACK_HEALTHY=false
  done
  say "every health check: $STACK_HEALTHY"

  say "operator's oneshot: compose run --rm -e WORKER_MODE=oneshot worker"
  set +e
  "${COMPOSE[@]}" run --rm -e WORKER_MODE=oneshot worker > "$WORK/oneshot.log" 2>&1
  ONESHOT_EXIT=$?
  set -e
  tail -8 "$WORK/oneshot.log"

  local ready listings
  ready=$(api_get /ready | sed -n 1p)
  listings=$(api_get '/api/listings?limit=100')
  API_LISTINGS=$(printf '%s' "$listings" | tail -n +2 | { grep -o '"external_id":' || true; } | wc -l)
  say "API: /ready $ready, /api/listings $(printf '%s' "$listings" | sed -n 1p) with $API_LISTINGS listings"
  [ "$ready" = 200 ] || STACK_HEALTHY=false

  say "processes run as the non-root user"
  for service in api worker; do
    local uid
    uid=$(podman exec "gpu-tracker_${service}_1" sh -c 'id -u' 2>/dev/null || podman top "gpu-tracker_${service}_1" user | tail -1)
    echo "$service: uid $uid"
    [ "$uid" = 10001 ] || { echo "error: $service runs as uid $uid, not 10001"; STACK_HEALTHY=false; }
  done

  say "SIGTERM to the worker (stop_grace_period 35 s)"
  local started=$SECONDS before
  before=$(podman logs gpu-tracker_worker_1 2>&1 | wc -l)
  "${COMPOSE[@]}" stop -t 35 worker > /dev/null
  local took=$((SECONDS - started)) code
  code=$(podman inspect --format '{{.State.ExitCode}}' gpu-tracker_worker_1)
  podman logs gpu-tracker_worker_1 2>&1 | tail -n +"$((before + 1))" > "$WORK/worker-stop.log"
  echo "worker exited $code after ${took} s; what it logged while stopping:"
  grep -vE ' INFO  o\.a\.k\.' "$WORK/worker-stop.log" | tail -8
  # Clean: out before the grace period ends (podman would SIGKILL: 137), no error or warning on the way out.
  if [ "$took" -ge 35 ] || [ "$code" = 137 ] || grep -qE 'Exception|ERROR|WARN' "$WORK/worker-stop.log"; then
    echo "error: the worker did not stop cleanly within its grace period (log: $WORK/worker-stop.log)"
    STACK_HEALTHY=false
  fi
}

base_images; [ "${BASE_ONLY:-0}" = 1 ] && exit 0
build_images
stack
API_MB=$(image_mb gpu-tracker-api:local)
WORKER_MB=$(image_mb gpu-tracker-worker:local)
echo "RESULT images_built=2 stack_healthy=$STACK_HEALTHY oneshot_exit=$ONESHOT_EXIT api_listings=$API_LISTINGS api_image_mb=$API_MB worker_image_mb=$WORKER_MB"
[ "$STACK_HEALTHY" = true ] && [ "$ONESHOT_EXIT" = 0 ] && [ "$API_LISTINGS" -gt 0 ]
