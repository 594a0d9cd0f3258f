// DotInteraction: DLRM's pairwise dot interaction as one hand-written
// autograd function, in place of libtorch's cat + bmm + tril gather + cat.
//
// For x [B, D] and embedded rows e [B, S, D], the output is [B, D + F(F-1)/2]
// with F = S + 1: x itself, then the dot products <f_i, f_j> of the features
// (f_0 = x, f_k = e_k) for i > j, row-major. The generic path materialises the
// full [B, F, F] product and gathers its lower triangle, whose backward is an
// index_add over [B, F·F]; here each pair is computed once, and the backward
// accumulates straight into dx and de. Only train code includes this header.
#pragma once

#include <torch/torch.h>

namespace kiln::models {

// REQUIRES: x [B, D] and embedded [B, S, D] are float32 with the same B and D.
torch::Tensor DotInteraction(const torch::Tensor& x, const torch::Tensor& embedded);

}  // namespace kiln::models
