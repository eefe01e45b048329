#!/usr/bin/env bash
# Packs the benchmark for the GPU machine: one ESM bundle (webgpu left external), Node, dawn.node and the
# Vulkan loader (../shared/gpu/prepare-device.sh), plus a copy of shaders/. Then, on the GPU machine:
#   bash .device/boot.sh && SEQSCOPE_SHADER_ROOT=.device/shaders .device/bin/node .device/bench.mjs real
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
npx esbuild bench/run.ts --bundle --platform=node --format=esm --target=node20 --external:webgpu \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --outfile="$tmp/bench.mjs" --log-level=warning
bash ../shared/gpu/prepare-device.sh "$tmp/bench.mjs"
cp -r shaders .device/shaders
echo "bundle-bench: .device/ ready"
