#pragma once
// A tiny random Wan 2.1 text-to-video folder laid out as Wan-AI/Wan2.1-T2V-1.3B-Diffusers is
// (transformer/ in two shards with its index and config.json, vae/, text_encoder/ with its
// config.json, tokenizer/spiece.model), made from the parity fixtures (tests/inference/fixtures/wan,
// scripts/wan_fixtures): the DiT of make_dit.py, the VAE of make_vae.py, the umT5 and the small
// SentencePiece model of make_umt5.py / make_tokenizer.py. The DiT's text projection is redrawn
// (seeded) to take the tiny umT5's width.

#include <filesystem>

namespace kinora::test {

// Writes the folder at `dir` (created; must not hold another model). Throws on any I/O failure.
void writeTinyWanFolder(const std::filesystem::path& dir, const std::filesystem::path& fixtures);

} // namespace kinora::test
