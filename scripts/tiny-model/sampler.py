"""The sampler and logit functions WebLLM 0.2.86 calls on the GPU, with the
signatures it calls them with (batch 1 at run time, symbolic here):

  softmax_with_temperature(logits[B,1,V] f32, temperature[B] f32) -> probs[B,1,V]
  argsort_probs(probs[B,V]) -> (sorted_probs[B,V] f32, sorted_indices[B,V] i32), descending
  sample_with_top_p(sorted_probs, sorted_indices, uniform[N] f32, sample_indices[N] i32, top_p[B] f32) -> ids[N] i32
  apply_bitmask_inplace(logits[B,V], seq_ids[S] i32, bitmask[B,ceil(V/32)] i32)
  apply_penalty_inplace(logits[B,V], seq_ids[S], pos2seq_id[T], token_ids[T], token_cnt[T], penalties[S,3])
  apply_logit_bias_inplace(logits[B,V], pos2seq_id[T], token_ids[T], logit_bias[T])

Kernels of our own in TVMScript, written plainly (a vocabulary of a few
hundred tokens): a rank sort, a sequential nucleus walk per sample, and
element-wise in-place updates; each binds its loops to GPU threads itself.
"""
from tvm.relax.frontend import nn
from tvm.relax.frontend.nn import Tensor, op
from tvm.script import tirx as T

THREADS = 256


def kernels(vocab_size: int):
    V = vocab_size
    words = (V + 31) // 32
    blocks = (V + THREADS - 1) // THREADS
    # Scheduled by hand (threads bound below), so the default GPU pipeline leaves them as they are.
    # op_pattern 8 (opaque): operator fusion leaves them alone.
    attrs = {"tirx.noalias": True, "tirx.is_scheduled": True, "op_pattern": 8}

    @T.prim_func(private=True, check_well_formed=False)
    def rank_sort(var_probs: T.handle, var_sorted: T.handle, var_indices: T.handle):
        T.func_attr(attrs)
        B = T.int64()
        probs = T.match_buffer(var_probs, (B, V), "float32")
        sorted_probs = T.match_buffer(var_sorted, (B, V), "float32")
        sorted_indices = T.match_buffer(var_indices, (B, V), "int32")
        with T.sblock("root"):
            for b in T.thread_binding(B, thread="blockIdx.y"):
                for jo in T.thread_binding(blocks, thread="blockIdx.x"):
                    for ji in T.thread_binding(THREADS, thread="threadIdx.x"):
                        if jo * THREADS + ji < V:
                            rank = T.decl_buffer((1,), "int32", scope="local")
                            rank[0] = 0
                            # Descending; ties keep the lower token id first.
                            for k in range(V):
                                if probs[b, k] > probs[b, jo * THREADS + ji] or (probs[b, k] == probs[b, jo * THREADS + ji] and k < jo * THREADS + ji):
                                    rank[0] = rank[0] + 1
                            sorted_probs[b, rank[0]] = probs[b, jo * THREADS + ji]
                            sorted_indices[b, rank[0]] = T.Cast("int32", jo * THREADS + ji)

    @T.prim_func(private=True, check_well_formed=False)
    def nucleus_sample(var_sorted: T.handle, var_indices: T.handle, var_uniform: T.handle, var_rows: T.handle, var_top_p: T.handle, var_out: T.handle):
        T.func_attr(attrs)
        B, N = T.int64(), T.int64()
        sorted_probs = T.match_buffer(var_sorted, (B, V), "float32")
        sorted_indices = T.match_buffer(var_indices, (B, V), "int32")
        uniform = T.match_buffer(var_uniform, (N,), "float32")
        rows = T.match_buffer(var_rows, (N,), "int32")
        top_p = T.match_buffer(var_top_p, (B,), "float32")
        out = T.match_buffer(var_out, (N,), "int32")
        with T.sblock("root"):
            for n in T.thread_binding(N, thread="blockIdx.x"):
                for _t in T.thread_binding(1, thread="threadIdx.x"):
                    state = T.decl_buffer((4,), "float32", scope="local")  # mass, target, running, found
                    # The nucleus: the most likely tokens whose mass first reaches top_p.
                    state[0] = T.float32(0)
                    for k in range(V):
                        if state[0] < top_p[T.Cast("int64", rows[n])]:
                            state[0] = state[0] + sorted_probs[T.Cast("int64", rows[n]), k]
                    state[1] = uniform[n] * state[0]
                    state[2] = T.float32(0)
                    state[3] = T.float32(0)
                    out[n] = sorted_indices[T.Cast("int64", rows[n]), 0]
                    for k in range(V):
                        if state[3] == T.float32(0):
                            state[2] = state[2] + sorted_probs[T.Cast("int64", rows[n]), k]
                            out[n] = sorted_indices[T.Cast("int64", rows[n]), k]
                            if state[2] >= state[1]:
                                state[3] = T.float32(1)

    @T.prim_func(private=True, check_well_formed=False)
    def bitmask(var_logits: T.handle, var_seq: T.handle, var_mask: T.handle):
        T.func_attr(attrs)
        B, S = T.int64(), T.int64()
        logits = T.match_buffer(var_logits, (B, V), "float32")
        seq_ids = T.match_buffer(var_seq, (S,), "int32")
        mask = T.match_buffer(var_mask, (B, words), "int32")
        with T.sblock("root"):
            for s in T.thread_binding(S, thread="blockIdx.y"):
                for vo in T.thread_binding(blocks, thread="blockIdx.x"):
                    for vi in T.thread_binding(THREADS, thread="threadIdx.x"):
                        if vo * THREADS + vi < V:
                            if T.bitwise_and(T.shift_right(mask[T.Cast("int64", seq_ids[s]), (vo * THREADS + vi) // 32], T.Cast("int32", (vo * THREADS + vi) % 32)), 1) == 0:
                                logits[T.Cast("int64", seq_ids[s]), vo * THREADS + vi] = T.min_value("float32")

    @T.prim_func(private=True, check_well_formed=False)
    def penalty(var_logits: T.handle, var_seq: T.handle, var_pos: T.handle, var_tokens: T.handle, var_counts: T.handle, var_pen: T.handle):
        T.func_attr(attrs)
        B, S, N = T.int64(), T.int64(), T.int64()
        logits = T.match_buffer(var_logits, (B, V), "float32")
        seq_ids = T.match_buffer(var_seq, (S,), "int32")
        pos2seq = T.match_buffer(var_pos, (N,), "int32")
        tokens = T.match_buffer(var_tokens, (N,), "int32")
        counts = T.match_buffer(var_counts, (N,), "int32")
        penalties = T.match_buffer(var_pen, (S, 3), "float32")
        with T.sblock("root"):
            for to in T.thread_binding((N + THREADS - 1) // THREADS, thread="blockIdx.x"):
                for ti in T.thread_binding(THREADS, thread="threadIdx.x"):
                    if to * THREADS + ti < N:
                        # presence, then frequency times the count; then repetition (divide positive logits, multiply negative ones).
                        logits[T.Cast("int64", seq_ids[T.Cast("int64", pos2seq[to * THREADS + ti])]), T.Cast("int64", tokens[to * THREADS + ti])] = (
                            logits[T.Cast("int64", seq_ids[T.Cast("int64", pos2seq[to * THREADS + ti])]), T.Cast("int64", tokens[to * THREADS + ti])]
                            - penalties[T.Cast("int64", pos2seq[to * THREADS + ti]), 0]
                            - T.Cast("float32", counts[to * THREADS + ti]) * penalties[T.Cast("int64", pos2seq[to * THREADS + ti]), 1]
                        )
                        logits[T.Cast("int64", seq_ids[T.Cast("int64", pos2seq[to * THREADS + ti])]), T.Cast("int64", tokens[to * THREADS + ti])] = T.if_then_else(
                            logits[T.Cast("int64", seq_ids[T.Cast("int64", pos2seq[to * THREADS + ti])]), T.Cast("int64", tokens[to * THREADS + ti])] > T.float32(0),
                            logits[T.Cast("int64", seq_ids[T.Cast("int64", pos2seq[to * THREADS + ti])]), T.Cast("int64", tokens[to * THREADS + ti])] / penalties[T.Cast("int64", pos2seq[to * THREADS + ti]), 2],
                            logits[T.Cast("int64", seq_ids[T.Cast("int64", pos2seq[to * THREADS + ti])]), T.Cast("int64", tokens[to * THREADS + ti])] * penalties[T.Cast("int64", pos2seq[to * THREADS + ti]), 2],
                        )

    @T.prim_func(private=True, check_well_formed=False)
    def logit_bias(var_logits: T.handle, var_pos: T.handle, var_tokens: T.handle, var_bias: T.handle):
        T.func_attr(attrs)
        B, N = T.int64(), T.int64()
        logits = T.match_buffer(var_logits, (B, V), "float32")
        pos2seq = T.match_buffer(var_pos, (N,), "int32")
        tokens = T.match_buffer(var_tokens, (N,), "int32")
        bias = T.match_buffer(var_bias, (N,), "float32")
        with T.sblock("root"):
            for to in T.thread_binding((N + THREADS - 1) // THREADS, thread="blockIdx.x"):
                for ti in T.thread_binding(THREADS, thread="threadIdx.x"):
                    if to * THREADS + ti < N:
                        logits[T.Cast("int64", pos2seq[to * THREADS + ti]), T.Cast("int64", tokens[to * THREADS + ti])] = (
                            logits[T.Cast("int64", pos2seq[to * THREADS + ti]), T.Cast("int64", tokens[to * THREADS + ti])] + bias[to * THREADS + ti]
                        )

    return rank_sort, nucleus_sample, bitmask, penalty, logit_bias


class Sampler(nn.Module):
    """The functions above as Relax functions of the model (no parameters)."""

    def __init__(self, vocab_size: int):
        self.vocab_size = vocab_size
        self._rank_sort, self._nucleus, self._bitmask, self._penalty, self._bias = kernels(vocab_size)

    def softmax_with_temperature(self, logits: Tensor, temperature: Tensor) -> Tensor:
        b = logits.shape[0]
        return op.softmax(logits / op.reshape(temperature, (b, 1, 1)), axis=-1)

    def argsort_probs(self, probs: Tensor):
        b, v = probs.shape
        return op.tensor_ir_op(self._rank_sort, "argsort_probs_kernel", [probs], [Tensor.placeholder((b, v), "float32"), Tensor.placeholder((b, v), "int32")])

    def sample_with_top_p(self, sorted_probs: Tensor, sorted_indices: Tensor, uniform: Tensor, sample_indices: Tensor, top_p: Tensor) -> Tensor:
        n = uniform.shape[0]
        return op.tensor_ir_op(self._nucleus, "sample_with_top_p_kernel", [sorted_probs, sorted_indices, uniform, sample_indices, top_p], Tensor.placeholder((n,), "int32"))

    def apply_bitmask_inplace(self, logits: Tensor, seq_ids: Tensor, bitmask: Tensor) -> Tensor:
        return op.tensor_ir_inplace_op(self._bitmask, "apply_bitmask_kernel", [logits, seq_ids, bitmask], 0, Tensor.placeholder(logits.shape, "float32"))

    def apply_penalty_inplace(self, logits: Tensor, seq_ids: Tensor, pos2seq_id: Tensor, token_ids: Tensor, token_cnt: Tensor, penalties: Tensor) -> Tensor:
        return op.tensor_ir_inplace_op(self._penalty, "apply_penalty_kernel", [logits, seq_ids, pos2seq_id, token_ids, token_cnt, penalties], 0, Tensor.placeholder(logits.shape, "float32"))

    def apply_logit_bias_inplace(self, logits: Tensor, pos2seq_id: Tensor, token_ids: Tensor, logit_bias: Tensor) -> Tensor:
        return op.tensor_ir_inplace_op(self._bias, "apply_logit_bias_kernel", [logits, pos2seq_id, token_ids, logit_bias], 0, Tensor.placeholder(logits.shape, "float32"))

    def spec(self) -> dict:
        V = self.vocab_size
        none = {"param_mode": "none", "effect_mode": "none"}
        t = nn.spec.Tensor
        return {
            "softmax_with_temperature": {"logits": t(["batch_size", 1, V], "float32"), "temperature": t(["batch_size"], "float32"), "$": none},
            "argsort_probs": {"probs": t(["batch_size", V], "float32"), "$": none},
            "sample_with_top_p": {
                "sorted_probs": t(["batch_size", V], "float32"),
                "sorted_indices": t(["batch_size", V], "int32"),
                "uniform": t(["num_samples"], "float32"),
                "sample_indices": t(["num_samples"], "int32"),
                "top_p": t(["batch_size"], "float32"),
                "$": none,
            },
            "apply_bitmask_inplace": {"logits": t(["batch_size", V], "float32"), "seq_ids": t(["num_seq"], "int32"), "bitmask": t(["batch_size", (V + 31) // 32], "int32"), "$": none},
            "apply_penalty_inplace": {
                "logits": t(["batch_size", V], "float32"),
                "seq_ids": t(["num_seq"], "int32"),
                "pos2seq_id": t(["num_pos"], "int32"),
                "token_ids": t(["num_pos"], "int32"),
                "token_cnt": t(["num_pos"], "int32"),
                "penalties": t(["num_seq", 3], "float32"),
                "$": none,
            },
            "apply_logit_bias_inplace": {"logits": t(["batch_size", V], "float32"), "pos2seq_id": t(["num_pos"], "int32"), "token_ids": t(["num_pos"], "int32"), "logit_bias": t(["num_pos"], "float32"), "$": none},
        }
