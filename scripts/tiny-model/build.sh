#!/usr/bin/env bash
# Rebuilds test/fixtures/tiny-mistral from scratch: a Python venv with the
# pinned PyPI packages, the tokenizer, the wasm runtime, the model library,
# weights and config. Maintainers' tool (a few minutes on 2 cores); CI never
# runs it. Needs Debian's clang-22 lld-22 libc++-22-dev-wasm32
# libc++abi-22-dev-wasm32 libclang-rt-22-dev-wasm32 wasi-libc.
#
#   scripts/tiny-model/build.sh [WORK_DIR]
set -euo pipefail
HERE=$(dirname "$(realpath "$0")")
FIXTURE=$(realpath "$HERE/../../test/fixtures")/tiny-mistral
WORK=${1:-${TMPDIR:-/tmp}/tiny-mistral-build}
mkdir -p "$WORK"
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q -r "$HERE/requirements.txt"
fi
SITE=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
"$WORK/venv/bin/python" "$HERE/make_tokenizer.py" "$WORK/model" 512
"$HERE/build_runtime.sh" "$SITE" "$WORK/runtime"
"$WORK/venv/bin/python" "$HERE/build_model.py" "$WORK/runtime" "$WORK/model"
mkdir -p "$FIXTURE"
cp "$WORK/model/"{mlc-chat-config.json,tensor-cache.json,params_shard_0.bin,tokenizer.json} "$FIXTURE/"
cp "$WORK/model/lib/tiny-mistral-webgpu.wasm" "$FIXTURE/"
ls -l "$FIXTURE"
