#!/usr/bin/env bash
# Compiles the WebAssembly runtime for the tiny model's library from the
# sources the PyPI wheels ship (apache-tvm's tvm/web/emcc and tvm/src/runtime,
# apache-tvm-ffi's tvm_ffi/src/ffi) with Debian's clang 22 for wasm32-wasi,
# plus our own shims and stand-ins for the nine support headers the wheel
# does not ship (runtime/). Maintainers' tool; CI never runs it.
#
#   build_runtime.sh SITE_PACKAGES OUT_DIR
#
# SITE_PACKAGES holds apache-tvm==0.27.0.post1 and the apache-tvm-ffi it pins
# (see requirements.txt); OUT_DIR receives the objects build_model.py links.
set -euo pipefail
SP=$(realpath "$1")
OUT=$(mkdir -p "$2" && realpath "$2")
HERE=$(dirname "$(realpath "$0")")/runtime
ROOT="$OUT/tvm-root"

# A TVM source root laid out as the runtime's relative includes expect, copied
# from the wheels (the wheel's own files stay untouched).
rm -rf "$ROOT" && mkdir -p "$ROOT/web" "$ROOT/3rdparty/compiler-rt" "$ROOT/src"
cp -r "$SP/tvm/src/runtime" "$ROOT/src/runtime"
cp -r "$SP/tvm/include" "$ROOT/include"
cp -r "$SP/tvm/web/emcc" "$ROOT/web/emcc"
cp -r "$SP/tvm_ffi" "$ROOT/3rdparty/tvm-ffi"
cp -r "$HERE/src/support" "$ROOT/src/support"
cp -r "$HERE/include/tvm/support" "$ROOT/include/tvm/support"
cp "$HERE/include/compiler-rt/builtin_fp16.h" "$ROOT/3rdparty/compiler-rt/"

CXXFLAGS=(--target=wasm32-wasi -Os -std=c++17 -Wno-ignored-attributes -Wno-deprecated -DTVM_FFI_CMAKE_LITTLE_ENDIAN=1
  -include "$HERE/prelude.h" -I"$HERE/include" -I"$ROOT" -I"$ROOT/include"
  -I"$ROOT/3rdparty/tvm-ffi/include" -I"$ROOT/3rdparty/tvm-ffi/include/dlpack" -I"$ROOT/3rdparty/compiler-rt")

for unit in wasm_runtime tvmjs_support webgpu_runtime; do
  echo "compiling $unit.cc"
  clang++-22 "${CXXFLAGS[@]}" -c "$ROOT/web/emcc/$unit.cc" -o "$OUT/$unit.o"
done
clang++-22 "${CXXFLAGS[@]}" -c "$HERE/exceptions.cc" -o "$OUT/exceptions.o"
clang-22 --target=wasm32-wasi -Os -Wno-deprecated -c "$HERE/shims.c" -o "$OUT/shims.o"
echo "runtime objects in $OUT"
