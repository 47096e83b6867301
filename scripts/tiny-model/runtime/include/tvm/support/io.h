// Our minimal stand-in for TVM's <tvm/support/io.h>, which the runtime
// sources in the apache-tvm wheel include but the wheel does not ship: a byte
// stream with typed reads and writes through Serializer<T>.
#ifndef TVM_SUPPORT_IO_H_
#define TVM_SUPPORT_IO_H_
#include <cstddef>
#include <cstdint>

namespace tvm {
namespace support {

/** How a type is written; specialized in serializer.h (and by the runtime for its own types). */
template <typename T, typename = void>
struct Serializer {
  static constexpr bool enabled = false;
};

class Stream {
 public:
  virtual size_t Read(void* ptr, size_t size) = 0;
  virtual size_t Write(const void* ptr, size_t size) = 0;
  virtual ~Stream() = default;

  template <typename T>
  void Write(const T& data) {
    static_assert(Serializer<T>::enabled, "no Serializer for this type");
    Serializer<T>::Write(this, data);
  }
  template <typename T>
  bool Read(T* out) {
    static_assert(Serializer<T>::enabled, "no Serializer for this type");
    return Serializer<T>::Read(this, out);
  }
  template <typename T>
  void WriteArray(const T* data, size_t n) {
    for (size_t i = 0; i < n; ++i) Write<T>(data[i]);
  }
  template <typename T>
  bool ReadArray(T* data, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (!Read<T>(data + i)) return false;
    return true;
  }
};

}  // namespace support
}  // namespace tvm
#endif  // TVM_SUPPORT_IO_H_
