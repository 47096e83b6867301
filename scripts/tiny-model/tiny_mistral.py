"""A tiny Mistral-architecture model in TVM's relax.frontend.nn: the same
layout as Mistral 7B (RMSNorm, grouped-query attention with RoPE over a
paged KV cache, a SiLU-gated MLP, untied LM head), at a size SwiftShader can
run: 2 layers, hidden 128, 4 query heads and 2 KV heads of 32, feed-forward 256.
It exposes the functions WebLLM calls: embed, prefill, decode and
create_tir_paged_kv_cache (sampler and logit kernels are in sampler.py).
Our own code, written against TVM's documented nn API."""
import dataclasses

from tvm import relax, te, tirx
from tvm.relax.frontend import nn
from tvm.relax.frontend.nn import Tensor, op
from tvm.relax.frontend.nn.llm.kv_cache import PagedKVCache, RopeMode, TIRPagedKVCache


@dataclasses.dataclass
class TinyConfig:
    vocab_size: int = 512
    hidden_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    head_dim: int = 32
    intermediate_size: int = 256
    rms_norm_eps: float = 1e-5
    rope_theta: int = 10000
    context_window_size: int = 1024
    prefill_chunk_size: int = 128


class MLP(nn.Module):
    def __init__(self, c: TinyConfig):
        self.gate_up_proj = nn.Linear(c.hidden_size, 2 * c.intermediate_size, bias=False)
        self.down_proj = nn.Linear(c.intermediate_size, c.hidden_size, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        gate, up = op.split(self.gate_up_proj(x), 2, axis=-1)
        return self.down_proj(op.silu(gate) * up)


class Attention(nn.Module):
    def __init__(self, c: TinyConfig):
        self.heads, self.kv_heads, self.head_dim = c.num_attention_heads, c.num_key_value_heads, c.head_dim
        self.qkv_proj = nn.Linear(c.hidden_size, (self.heads + 2 * self.kv_heads) * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.heads * self.head_dim, c.hidden_size, bias=False)

    def forward(self, x: Tensor, cache: PagedKVCache, layer: int) -> Tensor:
        b, s, _ = x.shape
        qkv = op.reshape(self.qkv_proj(x), (b, s, self.heads + 2 * self.kv_heads, self.head_dim))
        # The cache applies RoPE to q and k (RopeMode.NORMAL) and appends k, v.
        out = cache.attention_with_fused_qkv(layer, qkv, self.heads, sm_scale=self.head_dim**-0.5)
        return self.o_proj(op.reshape(out, (b, s, self.heads * self.head_dim)))


class Block(nn.Module):
    def __init__(self, c: TinyConfig):
        self.input_layernorm = nn.RMSNorm(c.hidden_size, -1, c.rms_norm_eps, bias=False)
        self.self_attn = Attention(c)
        self.post_attention_layernorm = nn.RMSNorm(c.hidden_size, -1, c.rms_norm_eps, bias=False)
        self.mlp = MLP(c)

    def forward(self, x: Tensor, cache: PagedKVCache, layer: int) -> Tensor:
        x = x + self.self_attn(self.input_layernorm(x), cache, layer)
        return x + self.mlp(self.post_attention_layernorm(x))


class TinyMistral(nn.Module):
    def __init__(self, c: TinyConfig, target):
        self.config = c
        self.target = target
        self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.layers = nn.ModuleList([Block(c) for _ in range(c.num_hidden_layers)])
        self.norm = nn.RMSNorm(c.hidden_size, -1, c.rms_norm_eps, bias=False)
        self.lm_head = nn.Linear(c.hidden_size, c.vocab_size, bias=False)

    def _hidden(self, embeds: Tensor, cache: PagedKVCache) -> Tensor:
        for i, layer in enumerate(self.layers):
            embeds = layer(embeds, cache, i)
        return self.norm(embeds)

    def embed(self, input_ids: Tensor) -> Tensor:
        return self.embed_tokens(input_ids)

    def prefill(self, embeds: Tensor, cache: PagedKVCache):
        hidden = self._hidden(embeds, cache)

        def last_position(x: te.Tensor):
            b, s, d = x.shape
            return te.compute((b, 1, d), lambda i, _, k: x[i, s - 1, k], name="last_position")

        hidden = op.tensor_expr_op(last_position, name_hint="last_position", args=[hidden])
        return self.lm_head(hidden), cache

    def decode(self, embeds: Tensor, cache: PagedKVCache):
        return self.lm_head(self._hidden(embeds, cache)), cache

    def create_tir_paged_kv_cache(self, max_batch_size: tirx.Var, max_total_seq_len: tirx.Var, prefill_chunk_size: tirx.Var, page_size: tirx.Var, support_sliding_window: tirx.Var) -> PagedKVCache:
        c = self.config
        return TIRPagedKVCache(
            attn_kind="mha",
            max_batch_size=max_batch_size,
            max_total_seq_len=max_total_seq_len,
            prefill_chunk_size=prefill_chunk_size,
            page_size=page_size,
            support_sliding_window=support_sliding_window,
            layer_partition=relax.ShapeExpr([0, c.num_hidden_layers]),
            num_hidden_layers=c.num_hidden_layers,
            num_attention_heads=c.num_attention_heads,
            num_key_value_heads=c.num_key_value_heads,
            qk_head_dim=c.head_dim,
            v_head_dim=c.head_dim,
            mla_original_qk_head_dim=0,
            mla_original_v_head_dim=0,
            rope_mode=RopeMode.NORMAL,
            rope_scale=1,
            rope_theta=c.rope_theta,
            rope_scaling={},
            rope_ext_factors=tirx.IntImm("int64", 0),
            rotary_dim=c.head_dim,
            enable_disaggregation=False,
            dtype="float32",
            target=self.target,
        )

    def spec(self) -> nn.spec.ModuleSpec:
        h = self.config.hidden_size
        packed = {"param_mode": "packed", "effect_mode": "none"}
        return nn.spec.ModuleSpec.from_raw(
            {
                "embed": {"input_ids": nn.spec.Tensor(["seq_len"], "int32"), "$": packed},
                "prefill": {"embeds": nn.spec.Tensor([1, "seq_len", h], "float32"), "cache": nn.spec.Object(object_type=PagedKVCache), "$": packed},
                "decode": {"embeds": nn.spec.Tensor([1, 1, h], "float32"), "cache": nn.spec.Object(object_type=PagedKVCache), "$": packed},
                "create_tir_paged_kv_cache": {
                    "max_batch_size": int,
                    "max_total_seq_len": int,
                    "prefill_chunk_size": int,
                    "page_size": int,
                    "support_sliding_window": int,
                    "$": {"param_mode": "none", "effect_mode": "none"},
                },
            },
            self,
        )
