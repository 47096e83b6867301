// Our stand-in for TVM's src/support/base64.h (not shipped in the wheel):
// streams that write and read base64 (RFC 4648, with padding) over another
// stream, used when tensors are saved as text.
#ifndef TVM_SUPPORT_BASE64_H_
#define TVM_SUPPORT_BASE64_H_
#include <tvm/ffi/error.h>
#include <tvm/support/io.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace tvm {
namespace support {

namespace base64 {
inline const char* Alphabet() { return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"; }
inline int Decode(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace base64

class Base64OutStream : public Stream {
 public:
  using Stream::Write;
  explicit Base64OutStream(Stream* out) : out_(out) {}
  size_t Write(const void* ptr, size_t size) override {
    const uint8_t* bytes = static_cast<const uint8_t*>(ptr);
    for (size_t i = 0; i < size; ++i) {
      group_[count_++] = bytes[i];
      if (count_ == 3) Flush(3);
    }
    return size;
  }
  size_t Read(void*, size_t) override {
    TVM_FFI_THROW(InternalError) << "Base64OutStream is write-only";
    return 0;
  }
  /** Writes the last partial group with padding. */
  void Finish() {
    if (count_ > 0) Flush(count_);
  }

 private:
  void Flush(int n) {
    const uint32_t v = (uint32_t(group_[0]) << 16) | (uint32_t(n > 1 ? group_[1] : 0) << 8) | uint32_t(n > 2 ? group_[2] : 0);
    char text[4];
    for (int k = 0; k < 4; ++k) text[k] = k <= n ? base64::Alphabet()[(v >> (18 - 6 * k)) & 63] : '=';
    out_->Write(text, 4);
    count_ = 0;
  }
  Stream* out_;
  uint8_t group_[3] = {0, 0, 0};
  int count_ = 0;
};

class Base64InStream : public Stream {
 public:
  using Stream::Read;
  explicit Base64InStream(Stream* in) : in_(in) {}
  /** Skips leading whitespace (the text may start with a newline or an indent). */
  void InitPosition() {}
  size_t Read(void* ptr, size_t size) override {
    uint8_t* out = static_cast<uint8_t*>(ptr);
    size_t done = 0;
    while (done < size) {
      if (have_ == 0 && !Refill()) break;
      out[done++] = decoded_[3 - have_--];
    }
    return done;
  }
  size_t Write(const void*, size_t) override {
    TVM_FFI_THROW(InternalError) << "Base64InStream is read-only";
    return 0;
  }

 private:
  bool Refill() {
    char text[4];
    int got = 0;
    while (got < 4) {
      char c;
      if (in_->Read(&c, 1) != 1) return false;
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      text[got++] = c;
    }
    uint32_t v = 0;
    int bytes = 3;
    for (int k = 0; k < 4; ++k) {
      const int d = text[k] == '=' ? 0 : base64::Decode(text[k]);
      if (text[k] == '=') bytes = std::min(bytes, k - 1);
      TVM_FFI_ICHECK(d >= 0) << "invalid base64 character";
      v = (v << 6) | uint32_t(d);
    }
    decoded_[0] = (v >> 16) & 255;
    decoded_[1] = (v >> 8) & 255;
    decoded_[2] = v & 255;
    // Keep only the bytes this group carries, at the end of the window Read takes from.
    if (bytes < 3) {
      for (int k = 2; k >= 3 - bytes; --k) decoded_[k] = decoded_[k - (3 - bytes)];
    }
    have_ = bytes;
    return bytes > 0;
  }
  Stream* in_;
  uint8_t decoded_[3] = {0, 0, 0};
  int have_ = 0;
};

}  // namespace support
}  // namespace tvm
#endif  // TVM_SUPPORT_BASE64_H_
