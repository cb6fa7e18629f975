#pragma once
// SHA-256 (FIPS 180-4) for the weights hashes a take's sidecar records, without OpenSSL or Qt: the
// engine links neither, and kinora-engine writes the same sidecar as kinora-cli.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace kinora::inference {

// Incremental: update() with the data in any pieces, then hex() (or digest()) once.
class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view text) { update(text.data(), text.size()); }
    std::array<std::uint8_t, 32> digest(); // ends the hash; update() is not allowed afterwards
    std::string hex(); // digest() as 64 lowercase hex digits

private:
    void block(const std::uint8_t* data);
    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer {};
    std::size_t m_buffered = 0;
    std::uint64_t m_bytes = 0;
    bool m_done = false;
};

std::string sha256Hex(std::string_view data);
// Throws std::runtime_error naming the file when it cannot be read.
std::string sha256File(const std::filesystem::path& path);

} // namespace kinora::inference
