// Our stand-in for TVM's src/support/ring_buffer.h (not shipped in the
// wheel): the byte queue the RPC endpoint reads and writes through. A plain
// growing buffer with a read offset is enough here (single thread).
#ifndef TVM_SUPPORT_RING_BUFFER_H_
#define TVM_SUPPORT_RING_BUFFER_H_
#include <algorithm>
#include <cstring>
#include <vector>

namespace tvm {
namespace support {

class RingBuffer {
 public:
  size_t bytes_available() const { return data_.size() - head_; }
  /** Capacity for at least `n` more bytes. */
  void Reserve(size_t n) {
    Compact();
    data_.reserve(data_.size() + n);
  }
  void Read(void* out, size_t size) {
    const size_t n = std::min(size, bytes_available());
    if (n != 0) std::memcpy(out, data_.data() + head_, n);
    head_ += n;
    Compact();
  }
  void Write(const void* in, size_t size) {
    const char* bytes = static_cast<const char*>(in);
    data_.insert(data_.end(), bytes, bytes + size);
  }
  /** Hands up to `max` queued bytes to `fsend(const void*, size_t) -> size_t`; drops what it took. */
  template <typename F>
  size_t ReadWithCallback(F fsend, size_t max) {
    const size_t n = fsend(data_.data() + head_, std::min(max, bytes_available()));
    head_ += n;
    Compact();
    return n;
  }
  /** Lets `frecv(void*, size_t) -> size_t` fill up to `max` bytes at the end; keeps what it wrote. */
  template <typename F>
  size_t WriteWithCallback(F frecv, size_t max) {
    const size_t at = data_.size();
    data_.resize(at + max);
    const size_t n = frecv(data_.data() + at, max);
    data_.resize(at + n);
    return n;
  }

 private:
  void Compact() {
    if (head_ == 0) return;
    data_.erase(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  std::vector<char> data_;
  size_t head_ = 0;
};

}  // namespace support
}  // namespace tvm
#endif  // TVM_SUPPORT_RING_BUFFER_H_
