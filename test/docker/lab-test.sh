#!/usr/bin/env bash
# The container lab, end to end, on this machine (run as root):
#
#   bash test/docker/lab-test.sh
#
# 1. installs docker.io and docker-compose (apt) when missing and starts a dockerd when none answers;
# 2. builds the Dockerfile's base image locally when it is absent (test/docker/base-image.sh: no registry needed);
# 3. builds the project image (`docker build -t rstlab .`) and the lab endpoint image (`--target lab`);
# 4. starts lab/compose.yaml and checks, from inside the client container:
#      - an allowed HTTP request (tcp/80) succeeds, and the server's packets arrive with TTL 54;
#      - a connection to the reset-client port (tcp/8081) fails at once, refused by a RST with TTL 64;
#      - `rstlab show counters` in the fw container counts the denied session;
#      - the bridge runs as uid 1000 with only NET_RAW and NET_ADMIN, and refuses to start without NET_RAW;
# 5. replaces it with lab/app-compose.yaml (an application container, the bridge, a keep-alive server) and runs the
#    connection-pool lesson (docs/fixture.md): an idle pooled connection, `rstlab clock advance 3601`, then the next
#    request on it: silently dropped (times out) by default; reset at once with emulator.reset-on-age-out both;
#    answered when the client's TCP keepalive (1 s) runs between the steps of the advance;
# 6. tears down the labs (containers, networks) and the dockerd it started, also on failure.
#
# Last line: `docker-lab: N passed, M failed`. Exit status 0 only when all checks pass.
# Environment: RSTLAB_DOCKER_CACHE (debootstrap tarball, default /var/cache/rstlab-docker),
# LAB_KEEP=1 leaves the lab running for a look (then tear down with the printed command).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
started_at=$(date +%s)

pass=0 fail=0
ok () { pass=$((pass + 1)); echo "ok - $*"; }
not_ok () { fail=$((fail + 1)); echo "not ok - $*"; }
log () { printf '[docker-lab %3ss] %s\n' "$(( $(date +%s) - started_at ))" "$*"; }
die () {
  log "FATAL: $*"
  echo "docker-lab: ${pass} passed, $((fail + 1)) failed"
  exit 1
}

[ "$(id -u)" = 0 ] || die "run as root (it installs docker and starts dockerd)"

# ---------- cleanup, whatever happens ----------
project="rstlab-lab-$$"
compose=()
dockerd_pid=''
docker_chains_before=''
cleanup () {
  local status=$?
  trap - EXIT INT TERM
  if [ "${LAB_KEEP:-}" = 1 ] && [ ${#compose[@]} -gt 0 ]; then
    log "LAB_KEEP=1: lab left running; tear down with: ${compose[*]} -p $project -f lab/compose.yaml down -v"
    exit "$status"
  fi
  if [ ${#compose[@]} -gt 0 ]; then
    "${compose[@]}" -p "$project" -f lab/compose.yaml down -v -t 5 --remove-orphans >/dev/null 2>&1 \
      || log "warning: compose down failed"
    "${compose[@]}" -p "$project-app" -f lab/app-compose.yaml down -v -t 5 --remove-orphans >/dev/null 2>&1 \
      || log "warning: compose down (app lab) failed"
  fi
  if [ -n "$dockerd_pid" ]; then
    log "stopping the dockerd this test started (pid $dockerd_pid)"
    kill "$dockerd_pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$dockerd_pid" 2>/dev/null
    # dockerd leaves its (empty) iptables chains behind; remove them when they were not there before it started.
    if [ -z "$docker_chains_before" ] && command -v iptables >/dev/null; then
      iptables -D FORWARD -j DOCKER-USER 2>/dev/null
      iptables -D FORWARD -j DOCKER-ISOLATION-STAGE-1 2>/dev/null
      for c in DOCKER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 DOCKER-USER; do
        iptables -F "$c" 2>/dev/null; iptables -X "$c" 2>/dev/null
      done
      iptables -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER 2>/dev/null
      iptables -t nat -D OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER 2>/dev/null
      iptables -t nat -F DOCKER 2>/dev/null; iptables -t nat -X DOCKER 2>/dev/null
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------- 1. docker engine and compose ----------
need_pkgs=()
command -v dockerd >/dev/null || need_pkgs+=(docker.io)
command -v docker >/dev/null || need_pkgs+=(docker.io)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then need_pkgs+=(docker-compose); fi
# base-image.sh builds the base image from a debootstrapped root (docker.io only suggests debootstrap).
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]} (apt)"
  # Package scripts must not start a default dockerd (its docker0 bridge would use 172.17.0.0/16).
  added_policy=''
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -q && apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"; } >/tmp/rstlab-docker-apt.log 2>&1
  apt_status=$?
  [ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d
  [ "$apt_status" = 0 ] || { tail -n 20 /tmp/rstlab-docker-apt.log; die "apt-get install ${need_pkgs[*]} failed"; }
fi
if docker compose version >/dev/null 2>&1; then compose_cmd=(docker compose); else compose_cmd=(docker-compose); fi

if ! docker info >/dev/null 2>&1; then
  command -v iptables >/dev/null && docker_chains_before=$(iptables -S 2>/dev/null | grep -- '-N DOCKER' || true)
  log "starting dockerd"
  # No default bridge (it would take 172.17.0.0/16; image builds use the host network instead) and any network
  # docker picks by itself comes from 198.19.0.0/16. --ip-forward=false: the host's forwarding setting stays as it is.
  dockerd --bridge=none --ip-forward=false --default-address-pool base=198.19.0.0/16,size=24 \
    >/tmp/rstlab-dockerd.log 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -n 20 /tmp/rstlab-dockerd.log; die "dockerd did not come up"; }
fi
log "docker $(docker version --format '{{.Server.Version}}' 2>/dev/null), compose: ${compose_cmd[*]}"

# ---------- 2. base image ----------
base=$(sed -nE 's/^ARG NODE_IMAGE=(.+)$/\1/p' Dockerfile | head -n 1)
[ -n "$base" ] || die "cannot find ARG NODE_IMAGE=... in Dockerfile"
if ! docker image inspect "$base" >/dev/null 2>&1; then
  log "building the base image $base locally"
  timeout 600 bash test/docker/base-image.sh "$base" || die "base image build failed"
fi

# ---------- 3. project images ----------
# --network host: builds here run in the host's network (this dockerd has no default bridge); same Dockerfile.
log "docker build -t rstlab ."
timeout 600 docker build --network host -t rstlab . >/tmp/rstlab-docker-build.log 2>&1 \
  || { tail -n 30 /tmp/rstlab-docker-build.log; die "docker build failed (log: /tmp/rstlab-docker-build.log)"; }
log "docker build --target lab -t rstlab-lab ."
timeout 600 docker build --network host --target lab -t rstlab-lab . >>/tmp/rstlab-docker-build.log 2>&1 \
  || { tail -n 30 /tmp/rstlab-docker-build.log; die "docker build --target lab failed"; }
image_size=$(docker image inspect rstlab --format '{{.Size}}')
log "image rstlab: $(( image_size / 1000000 )) MB"

# ---------- 4. the lab ----------
compose=("${compose_cmd[@]}")
log "${compose[*]} -f lab/compose.yaml up -d (project $project)"
"${compose[@]}" -p "$project" -f lab/compose.yaml up -d --no-build >/tmp/rstlab-docker-compose.log 2>&1 \
  || { cat /tmp/rstlab-docker-compose.log; die "compose up failed"; }
cid () { "${compose[@]}" -p "$project" -f lab/compose.yaml ps -q "$1"; }
fw=$(cid fw) client=$(cid client) server=$(cid server)
[ -n "$fw" ] && [ -n "$client" ] && [ -n "$server" ] || die "lab containers missing"

# Ready when the bridge answers on its control socket (what the HEALTHCHECK asks).
ready=''
for _ in $(seq 1 60); do
  if docker exec "$fw" rstlab show counters >/dev/null 2>&1; then ready=1; break; fi
  [ "$(docker inspect -f '{{.State.Running}}' "$fw")" = true ] || break
  sleep 0.5
done
if [ -z "$ready" ]; then
  docker logs "$fw" 2>&1 | tail -n 20
  die "the fw container's bridge never answered \`rstlab show counters\`"
fi
log "fw bridge is up"

# Watch the client's interface for everything the server's address sends (the real server and forged RSTs).
docker exec -d "$client" sh -c 'exec tcpdump -l -n -v -i trust0 "tcp and src host 198.18.0.140" >/tmp/from-server.txt 2>&1'
for _ in $(seq 1 20); do
  docker exec "$client" grep -q 'listening on' /tmp/from-server.txt 2>/dev/null && break; sleep 0.25
done

# Check 1: allowed request through the bridge.
body=$(docker exec "$client" curl -sS -m 5 http://198.18.0.140/ 2>&1)
if grep -q 'port 80' <<<"$body"; then ok "allowed: GET http://198.18.0.140/ through the bridge: $body"
else not_ok "allowed: GET http://198.18.0.140/ failed: $body"; fi

# Check 2: reset-client port refused at once by the firewall's RST (TTL 64), the server's own packets have TTL 54.
t0=$(date +%s%N)
out=$(docker exec "$client" curl -sS -v -m 5 http://198.18.0.140:8081/ 2>&1); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 0.5
dump=$(docker exec "$client" cat /tmp/from-server.txt 2>/dev/null)
rst_ttl=$(grep -B1 -E '198\.18\.0\.140\.8081 > .*Flags \[R' <<<"$dump" | grep -oE 'ttl [0-9]+' | head -n 1)
srv_ttl=$(grep -B1 -E '198\.18\.0\.140\.80 > .*Flags \[S\.\]' <<<"$dump" | grep -oE 'ttl [0-9]+' | head -n 1)
if [ "$rc" = 7 ] && grep -q 'Connection refused' <<<"$out" && [ "$ms" -lt 2000 ] && [ "$rst_ttl" = 'ttl 64' ] && [ "$srv_ttl" = 'ttl 54' ]; then
  ok "reset-client: tcp/8081 refused after ${ms} ms by a RST with ${rst_ttl} (the server's SYN-ACK on 80 had ${srv_ttl})"
else
  not_ok "reset-client: curl rc=$rc after ${ms} ms; RST ${rst_ttl:-not seen}, server ${srv_ttl:-not seen}"
  printf '%s\n' "$out" | sed 's/^/    /' | tail -n 8
  printf '%s\n' "$dump" | sed 's/^/    /' | tail -n 20
fi

# Check 3: the firewall counted the denied session, and lists it (DISCARD) in its session table.
counters=$(docker exec "$fw" rstlab show counters 2>&1)
deny=$(awk '$1 == "flow_policy_deny" { print $2 }' <<<"$counters")
sessions=$(docker exec "$fw" rstlab show sessions 2>&1)
discard=$(grep -A1 -E 'DISCARD .*198\.18\.0\.10\[[0-9]+\]/trust/6' <<<"$sessions" | grep -c '198\.18\.0\.140\[8081\]/untrust')
if [ -n "$deny" ] && [ "$deny" -ge 1 ] 2>/dev/null && [ "$discard" -ge 1 ]; then
  ok "counters: flow_policy_deny = $deny in \`rstlab show counters\`; \`rstlab show sessions\` lists the tcp/8081 session as DISCARD"
else
  not_ok "counters: flow_policy_deny = ${deny:-absent}, DISCARD sessions to 198.18.0.140[8081]: $discard"
  printf '%s\n' "$counters" "$sessions" | sed 's/^/    /' | head -n 60
fi

# Check 4: privileges. The bridge process is user `node` holding only NET_RAW+NET_ADMIN (0x3000), and the
# entrypoint names the missing capability instead of failing obscurely.
status=$(docker exec "$fw" sh -c 'grep -E "^(Uid|CapEff):" /proc/1/status' 2>&1)
uid=$(awk '$1 == "Uid:" { print $2 }' <<<"$status"); capeff=$(awk '$1 == "CapEff:" { print $2 }' <<<"$status")
refusal=$(docker run --rm --network none --cap-drop NET_RAW rstlab bridge eth0 eth1 --policy /policies/lab.yaml 2>&1); refusal_rc=$?
if [ "$uid" = 1000 ] && [ "$capeff" = 0000000000003000 ] && [ "$refusal_rc" = 2 ] && grep -q 'needs the NET_RAW capability' <<<"$refusal"; then
  ok "privileges: bridge runs as uid $uid with CapEff $capeff (NET_RAW+NET_ADMIN); without NET_RAW the entrypoint says so (exit 2)"
else
  not_ok "privileges: uid=${uid:-?} CapEff=${capeff:-?}; without NET_RAW: exit $refusal_rc: $(head -n 2 <<<"$refusal")"
fi

# ---------- 5. the connection-pool lesson (lab/app-compose.yaml) ----------
"${compose[@]}" -p "$project" -f lab/compose.yaml down -v -t 5 --remove-orphans >/dev/null 2>&1
log "${compose[*]} -f lab/app-compose.yaml up -d (project $project-app)"
app_compose=("${compose[@]}" -p "$project-app" -f lab/app-compose.yaml)
"${app_compose[@]}" up -d --no-build >/tmp/rstlab-docker-compose.log 2>&1 \
  || { cat /tmp/rstlab-docker-compose.log; die "compose up (app lab) failed"; }
afw=$("${app_compose[@]}" ps -q fw) app=$("${app_compose[@]}" ps -q app)
[ -n "$afw" ] && [ -n "$app" ] || die "app lab containers missing"
ready=''
for _ in $(seq 1 60); do
  if docker exec "$afw" rstlab clock >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || { docker logs "$afw" 2>&1 | tail -n 20; die "the app lab's bridge never answered \`rstlab clock\`"; }

# pool_run NAME 'CLIENT ARGS' 'ADVANCE ARGS': one pooled connection, a first request, the advance, a second request
# on the same connection. Leaves the client's JSON event lines in $pool.
pool_run () {
  docker exec "$app" rm -f /tmp/go /tmp/pool.txt
  docker exec -d "$app" sh -c "exec node /opt/rstlab/lab/pool-client.mjs 198.18.0.140 --go-file /tmp/go --timeout-ms 4000 $2 >/tmp/pool.txt 2>&1"
  for _ in $(seq 1 40); do docker exec "$app" grep -q '"which":"first"' /tmp/pool.txt 2>/dev/null && break; sleep 0.25; done
  advance=$(docker exec "$afw" rstlab clock advance $3 2>&1)
  sleep 0.5
  docker exec "$app" touch /tmp/go
  for _ in $(seq 1 40); do docker exec "$app" grep -q '"which":"second"' /tmp/pool.txt 2>/dev/null && break; sleep 0.25; done
  pool=$(docker exec "$app" cat /tmp/pool.txt 2>&1)
}
pool_report () { printf '%s\n' "$advance" "$pool" | sed 's/^/    /'; }

# 5a: PAN-OS default: the age-out is silent and the next request vanishes: the client waits for its own timeout.
drops0=$(docker exec "$afw" rstlab show counters 2>&1 | awk '$1 == "flow_tcp_non_syn_drop" { print $2 }')
pool_run silent '' 3601
drops1=$(docker exec "$afw" rstlab show counters 2>&1 | awk '$1 == "flow_tcp_non_syn_drop" { print $2 }')
if grep -q '"ev":"response","which":"first","status":200' <<<"$pool" && grep -q '"ev":"timeout","which":"second"' <<<"$pool" \
   && ! grep -q '"ev":"reset"' <<<"$pool" && grep -qE '[1-9][0-9]* session\(s\) aged out' <<<"$advance" && [ "${drops1:-0}" -gt "${drops0:-0}" ]; then
  ok "pool, default: after \`rstlab clock advance 3601\` the idle connection's next request got no answer (timeout, no reset); flow_tcp_non_syn_drop ${drops0:-0} -> $drops1"
else
  not_ok "pool, default: expected a silent timeout on the second request (flow_tcp_non_syn_drop ${drops0:-?} -> ${drops1:-?})"; pool_report
fi

# 5b: with reset-on-age-out both, the pooled connection is reset at the age-out and the next request fails at once.
set_out=$(docker exec "$afw" rstlab set emulator.reset-on-age-out both 2>&1)
pool_run reset '' 3601
docker exec "$afw" rstlab set emulator.reset-on-age-out none >/dev/null 2>&1
if grep -q 'reset-on-age-out: none -> both' <<<"$set_out" && grep -q '"ev":"reset","code":"ECONNRESET"' <<<"$pool" \
   && grep -qE '"ev":"error","which":"second","code":"(ECONNRESET|EPIPE|ECLOSED)","ms":[0-9]{1,3},' <<<"$pool" && grep -qE '[2-9][0-9]* packet\(s\) forged' <<<"$advance"; then
  ok "pool, reset-on-age-out both: the idle connection was reset (ECONNRESET) at the age-out and the next request failed at once"
else
  not_ok "pool, reset-on-age-out both: expected an immediate reset ($set_out)"; pool_report
fi

# 5c: TCP keepalive (1 s) below the timeout: the hour passes in 4 steps 1.5 s apart, the probes keep the session.
pool_run keepalive '--keepalive-ms 1000' '3601 --steps 4 --pause 1.5'
if grep -q '"ev":"response","which":"first","status":200' <<<"$pool" && grep -q '"ev":"response","which":"second","status":200' <<<"$pool"; then
  ok "pool, keepalive 1 s: after the same hour (in 4 steps) the connection still answers: keepalive probes kept the firewall session"
else
  not_ok "pool, keepalive: expected the second request to be answered"; pool_report
fi

log "done in $(( $(date +%s) - started_at )) s"
echo "docker-lab: ${pass} passed, ${fail} failed"
[ "$fail" = 0 ]
