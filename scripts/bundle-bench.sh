#!/usr/bin/env bash
# Packs the benchmark for a GPU machine without Node: one ESM bundle of bench/run.ts (webgpu left external,
# the commit it measures baked in), Node, dawn.node and the Vulkan loader (../shared/gpu/prepare-device.sh),
# and a copy of shaders/.
#   npm run bench:device                   the working tree as it is (recorded as HEAD+dirty where engine/,
#                                          shaders/ or bench/ differ from HEAD)
#   npm run bench:device -- --commit REV   engine/, shaders/ and bench/ exactly as REV has them (git archive),
#                                          so the figures name one commit whatever the working tree holds
# Then on the GPU machine, carrying .device:
#   bash .device/boot.sh; export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
#   SEQSCOPE_SHADER_ROOT=.device/shaders .device/bin/node .device/bench.mjs --json OUT.json --svg OUT.svg
# and the matrix-unit kernels' device check (bench/matrixCheck.ts), the SSD's per-pass times
# (bench/ssdPasses.ts) and the fused scan's arithmetic and traffic probes (bench/scanMicro.ts),
# .device/matrixCheck.mjs, .device/ssdPasses.mjs and .device/scanMicro.mjs the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
src=.
if [[ ${1:-} == --commit ]]; then
  commit=$(git rev-parse "${2:?--commit needs a revision}")
  src=$tmp/src
  mkdir -p "$src"
  git archive "$commit" engine shaders bench | tar -x -C "$src"
  ln -s "$PWD/node_modules" "$src/node_modules"
else
  commit=$(git rev-parse HEAD)
  [[ -z $(git status --porcelain -- engine shaders bench) ]] || commit="$commit+dirty"
fi
for entry in run:bench matrixCheck:matrixCheck ssdPasses:ssdPasses warmProbe:warmProbe fuseCheck:fuseCheck scanMicro:scanMicro; do
  npx esbuild "$src/bench/${entry%%:*}.ts" --bundle --platform=node --format=esm --target=node20 --external:webgpu \
    --define:process.env.SEQSCOPE_COMMIT="\"$commit\"" \
    --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
    --outfile="$tmp/${entry##*:}.mjs" --log-level=warning
done
bash ../shared/gpu/prepare-device.sh "$tmp/bench.mjs" "$tmp/matrixCheck.mjs" "$tmp/ssdPasses.mjs" "$tmp/warmProbe.mjs" "$tmp/fuseCheck.mjs" "$tmp/scanMicro.mjs"
cp -r "$src/shaders" .device/shaders
rm -rf "$tmp"
echo "bundle-bench: .device/ ready (commit $commit)"
