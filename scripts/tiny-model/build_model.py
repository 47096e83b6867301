"""Builds the tiny Mistral test model for WebLLM, from registry packages and
our own code only: the model (tiny_mistral.py) and its sampler kernels
(sampler.py) compiled by apache-tvm==0.27.0.post1 for WebGPU with a wasm32
host, linked by our own fcompile with the runtime build_runtime.sh compiled
from the wheels' shipped sources; random weights (fixed seed) written with
tvm.contrib.tvmjs.dump_tensor_cache; the tokenizer from make_tokenizer.py;
an mlc-chat-config.json with Mistral's conversation template.

Maintainers' tool; CI never runs it. See scripts/tiny-model/README.md.

    python build_model.py RUNTIME_OBJ_DIR OUT_DIR
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
import tvm
from tvm import relax
from tvm.contrib import tvmjs
from tvm.relax.frontend import nn

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from sampler import Sampler  # noqa: E402
from tiny_mistral import TinyConfig, TinyMistral  # noqa: E402

LIB_NAME = "tiny-mistral-webgpu.wasm"
SEED = 20261201

# What WebLLM's glue looks up in a model library (TVM's C API as tvmjs calls it).
EXPORTS = [
    "TVMWasmAllocSpace", "TVMWasmFreeSpace", "TVMFFIWasmGetLastError", "TVMFFIWasmFunctionCreate",
    "TVMFFIFunctionCall", "TVMFFIFunctionGetGlobal", "TVMFFIFunctionSetGlobal", "TVMFFIObjectIncRef",
    "TVMFFIObjectDecRef", "TVMFFIAnyViewToOwnedAny", "TVMFFIErrorSetRaisedFromCStr", "TVMFFIGetTypeInfo",
    "TVMFFITypeKeyToIndex", "TVMFFIDataTypeToString",
]
# Provided by WebLLM's JavaScript at instantiation.
JS_IMPORTS = ["__cxa_thread_atexit", "TVMFFIWasmSafeCall", "TVMFFIWasmFunctionDeleter"]
WASI_SYSROOT = "/usr/lib/wasm32-wasi"
BUILTINS = "/usr/lib/llvm-22/lib/clang/22/lib/wasi/libclang_rt.builtins-wasm32.a"


def export(config: TinyConfig, target):
    model = TinyMistral(config, target)
    sampler = Sampler(config.vocab_size)
    spec = model.spec()
    mod, params = model.export_tvm(spec=spec)
    sampler_mod, _ = sampler.export_tvm(spec=nn.spec.ModuleSpec.from_raw(sampler.spec(), sampler))
    mod.update(sampler_mod)
    metadata = {
        "model_type": "mistral",
        "quantization": "q0f32",
        "context_window_size": config.context_window_size,
        "sliding_window_size": -1,
        "attention_sink_size": -1,
        "prefill_chunk_size": config.prefill_chunk_size,
        "tensor_parallel_shards": 1,
        "kv_state_kind": "kv_cache",
        "params": [{"name": name, "shape": list(p.shape), "dtype": p.dtype} for name, p in params],
    }
    bb = relax.BlockBuilder(mod)
    with bb.function("_metadata", []):
        bb.emit_func_output(tvm.ir.StringImm(json.dumps(metadata)))
    return bb.finalize(), params


def fcompile_for(runtime_objects):
    """Our fcompile: the compiled model objects and the runtime, linked by wasm-ld into one reactor module."""

    def fcompile(output, objects, **_):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as undefined:
            undefined.write("\n".join(JS_IMPORTS) + "\n")
        cmd = [
            "wasm-ld-22", "--no-entry", "--export=_initialize", "--export-memory", f"--allow-undefined-file={undefined.name}",
            "-z", "stack-size=1048576", "--initial-memory=167772160", "--max-memory=4294967296", "--strip-all",
            *[f"--export={name}" for name in EXPORTS],
            f"{WASI_SYSROOT}/crt1-reactor.o", *objects, *runtime_objects,
            f"-L{WASI_SYSROOT}", "-lc++", "-lc++abi", "-lc", BUILTINS, "-o", output,
        ]
        subprocess.run(cmd, check=True)
        os.unlink(undefined.name)

    fcompile.object_format = "o"
    return fcompile


def write_weights(params, out: pathlib.Path):
    rng = np.random.default_rng(SEED)
    arrays = {}
    for name, param in params:
        shape = [int(d) for d in param.shape]
        if name.endswith("norm.weight"):
            value = np.ones(shape, dtype="float32")
        else:
            # Scaled so activations stay near unit size through the tiny network.
            value = (rng.standard_normal(shape) / np.sqrt(shape[-1])).astype("float32")
        arrays[name] = value
    tvmjs.dump_tensor_cache(arrays, str(out), encode_format="raw")


def write_chat_config(config: TinyConfig, out: pathlib.Path):
    chat = {
        "model_type": "mistral",
        "quantization": "q0f32",
        "vocab_size": config.vocab_size,
        "context_window_size": config.context_window_size,
        "sliding_window_size": -1,
        "attention_sink_size": -1,
        "prefill_chunk_size": config.prefill_chunk_size,
        "temperature": 1.0,
        "top_p": 1.0,
        "repetition_penalty": 1.0,
        "presence_penalty": 0.0,
        "frequency_penalty": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "tokenizer_files": ["tokenizer.json"],
        "tokenizer_info": {"token_postproc_method": "byte_level", "prepend_space_in_encode": False, "strip_space_in_decode": False},
        # Mistral's template as WebLLM's prebuilt Mistral records carry it (mlc-llm's "mistral_default").
        "conv_template": {
            "name": "mistral_default",
            "system_template": "[INST] {system_message}",
            "system_message": "Always assist with care, respect, and truth. Respond with utmost utility yet securely. Avoid harmful, unethical, prejudiced, or negative content. Ensure replies promote fairness and positivity.",
            "roles": {"user": "[INST]", "assistant": "[/INST]", "tool": "[INST]"},
            "role_templates": {"user": "{user_message}", "assistant": "{assistant_message}", "tool": "{tool_message}"},
            "messages": [],
            "seps": [" "],
            "role_content_sep": " ",
            "role_empty_sep": "",
            "stop_str": ["</s>"],
            "system_prefix_token_ids": [1],
            "stop_token_ids": [2],
            "add_role_after_system_message": False,
        },
    }
    (out / "mlc-chat-config.json").write_text(json.dumps(chat, indent=2) + "\n")


def main(runtime_dir: str, out_dir: str):
    config = TinyConfig()
    target = tvm.target.Target({"kind": "webgpu", "host": {"kind": "llvm", "mtriple": "wasm32-unknown-unknown-wasm"}})
    mod, params = export(config, target)
    executable = relax.build(mod, target=target)
    out = pathlib.Path(out_dir)
    (out / "lib").mkdir(parents=True, exist_ok=True)
    runtime_objects = sorted(str(p) for p in pathlib.Path(runtime_dir).glob("*.o"))
    executable.export_library(str(out / "lib" / LIB_NAME), fcompile=fcompile_for(runtime_objects))
    write_weights(params, out)
    write_chat_config(config, out)
    print(f"built {out}: {LIB_NAME}, {len(params)} tensors")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
