# rstlab container image.
#
#   docker build -t rstlab .
#   docker run --rm rstlab --help
#   docker run --rm -v "$PWD/lab/policies:/policies:ro" rstlab policy check /policies/lab.yaml
#   docker run -d --network ... --cap-add NET_ADMIN --cap-add NET_RAW rstlab bridge eth0 eth1 --policy /policies/x.yaml
#
# Stages: `build` compiles the TypeScript and the native addons (cap, raw-socket) against libpcap-dev;
# `runtime` is Node 24 + libpcap, no compilers (the default target); `lab` adds the endpoint tools
# (curl, tcpdump) that lab/compose.yaml's client and server use.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libpcap-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# node-gyp uses the headers that ship with the image's Node instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
# npm 11 runs only the install scripts package.json approves (`allowScripts`); npm 10 runs them all. The explicit
# rebuild makes both build the addons, and the require() fails the build if either addon is missing.
# --ignore-scripts: `prepare` (the TypeScript build) needs the sources, copied below.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild cap raw-socket \
 && node -e "require('cap'); require('raw-socket')"
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY tools ./tools
# tsconfig also compiles test/ and bench/; the image only needs src, so compile with an empty placeholder for them.
# tools/bundle.mjs then makes build/rstlab.cjs, the one-file CLI bin/rstlab.js runs (esbuild: a dev dependency).
RUN mkdir -p test bench && npx tsc -p tsconfig.json && node tools/bundle.mjs \
 && rm -rf build/test build/bench \
 && npm prune --omit=dev --no-audit --no-fund \
 && node bin/rstlab.js --help >/dev/null

FROM ${NODE_IMAGE} AS runtime
# libpcap for `cap`; iproute2/ethtool for the entrypoint's interface checks and offload settings;
# setpriv (util-linux, already present) drops root to user `node` keeping only the network capabilities.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpcap0.8 iproute2 ethtool \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/rstlab
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/build ./build
COPY --from=build /src/bin ./bin
COPY docker/entrypoint.sh /usr/local/bin/rstlab
# Baked-in policies: the shipped examples and the lab's (mount your own over /policies, or anywhere, and name it
# with --policy).
COPY policies /policies
COPY lab/policies/lab.yaml /policies/
# The control socket's default directory, writable by the unprivileged user the entrypoint switches to.
RUN chmod 0755 /usr/local/bin/rstlab \
 && mkdir -p /run/rstlab && chown node:node /run/rstlab
ENV NODE_ENV=production
# Asks the running bridge over its control socket; a bridge that stopped answering is unhealthy.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["rstlab", "show", "counters"]
ENTRYPOINT ["rstlab"]
CMD ["--help"]

FROM runtime AS lab
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl tcpdump \
 && rm -rf /var/lib/apt/lists/*
COPY lab/endpoint.sh lab/http-server.mjs lab/pool-client.mjs /opt/rstlab/lab/
HEALTHCHECK NONE
ENTRYPOINT ["/opt/rstlab/lab/endpoint.sh"]
# Idle until stopped (a bare `sleep` as PID 1 would ignore SIGTERM and make every `down` wait 10 s).
CMD ["sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"]

# The default target (`docker build .` without --target) is the slim runtime.
FROM runtime
