// Our minimal stand-in for TVM's <tvm/support/serializer.h>. It must read
// exactly what the wheel's compiler writes (the VM executable, parameter
// blobs): numbers as their little-endian bytes (wasm32 is little-endian, so
// no swapping), strings, byte strings, vectors and ffi arrays as a uint64
// count then the elements, pairs as both halves, maps as a count then
// key/value pairs, DLDataType as code/bits (u8) and lanes (u16), DLDevice as
// two int32s.
#ifndef TVM_SUPPORT_SERIALIZER_H_
#define TVM_SUPPORT_SERIALIZER_H_
#include <dlpack/dlpack.h>
#include <tvm/ffi/container/array.h>
#include <tvm/ffi/container/map.h>
#include <tvm/ffi/string.h>
#include <tvm/support/io.h>

#include <cstdint>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "this serializer writes the host's bytes as little-endian");

namespace tvm {
namespace support {

template <typename T>
struct Serializer<T, std::enable_if_t<std::is_arithmetic_v<T>>> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const T& v) { s->Write(&v, sizeof(T)); }
  static bool Read(Stream* s, T* v) { return s->Read(v, sizeof(T)) == sizeof(T); }
};

template <typename T>
struct Serializer<T, std::enable_if_t<std::is_enum_v<T>>> {
  static constexpr bool enabled = true;
  using U = std::underlying_type_t<T>;
  static void Write(Stream* s, const T& v) { Serializer<U>::Write(s, static_cast<U>(v)); }
  static bool Read(Stream* s, T* v) {
    U raw;
    if (!Serializer<U>::Read(s, &raw)) return false;
    *v = static_cast<T>(raw);
    return true;
  }
};

namespace detail {
inline void WriteBytes(Stream* s, const char* data, size_t n) {
  Serializer<uint64_t>::Write(s, static_cast<uint64_t>(n));
  if (n != 0) s->Write(data, n);
}
inline bool ReadBytes(Stream* s, std::string* out) {
  uint64_t n;
  if (!Serializer<uint64_t>::Read(s, &n)) return false;
  out->resize(static_cast<size_t>(n));
  return n == 0 || s->Read(&(*out)[0], static_cast<size_t>(n)) == n;
}
}  // namespace detail

template <>
struct Serializer<std::string> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const std::string& v) { detail::WriteBytes(s, v.data(), v.size()); }
  static bool Read(Stream* s, std::string* v) { return detail::ReadBytes(s, v); }
};

template <>
struct Serializer<ffi::String> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const ffi::String& v) { detail::WriteBytes(s, v.data(), v.size()); }
  static bool Read(Stream* s, ffi::String* v) {
    std::string raw;
    if (!detail::ReadBytes(s, &raw)) return false;
    *v = ffi::String(raw);
    return true;
  }
};

template <>
struct Serializer<ffi::Bytes> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const ffi::Bytes& v) { detail::WriteBytes(s, v.data(), v.size()); }
  static bool Read(Stream* s, ffi::Bytes* v) {
    std::string raw;
    if (!detail::ReadBytes(s, &raw)) return false;
    *v = ffi::Bytes(raw);
    return true;
  }
};

template <typename T>
struct Serializer<std::vector<T>> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const std::vector<T>& v) {
    Serializer<uint64_t>::Write(s, static_cast<uint64_t>(v.size()));
    if constexpr (std::is_arithmetic_v<T>) {
      if (!v.empty()) s->Write(v.data(), sizeof(T) * v.size());
    } else {
      for (const T& item : v) Serializer<T>::Write(s, item);
    }
  }
  static bool Read(Stream* s, std::vector<T>* v) {
    uint64_t n;
    if (!Serializer<uint64_t>::Read(s, &n)) return false;
    v->resize(static_cast<size_t>(n));
    if constexpr (std::is_arithmetic_v<T>) {
      return n == 0 || s->Read(v->data(), sizeof(T) * v->size()) == sizeof(T) * v->size();
    } else {
      for (T& item : *v)
        if (!Serializer<T>::Read(s, &item)) return false;
      return true;
    }
  }
};

template <typename A, typename B>
struct Serializer<std::pair<A, B>> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const std::pair<A, B>& v) {
    Serializer<A>::Write(s, v.first);
    Serializer<B>::Write(s, v.second);
  }
  static bool Read(Stream* s, std::pair<A, B>* v) { return Serializer<A>::Read(s, &v->first) && Serializer<B>::Read(s, &v->second); }
};

template <typename K, typename V>
struct Serializer<std::unordered_map<K, V>> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const std::unordered_map<K, V>& v) {
    Serializer<std::vector<std::pair<K, V>>>::Write(s, std::vector<std::pair<K, V>>(v.begin(), v.end()));
  }
  static bool Read(Stream* s, std::unordered_map<K, V>* v) {
    std::vector<std::pair<K, V>> items;
    if (!Serializer<std::vector<std::pair<K, V>>>::Read(s, &items)) return false;
    v->clear();
    v->insert(items.begin(), items.end());
    return true;
  }
};

template <typename T>
struct Serializer<ffi::Array<T>> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const ffi::Array<T>& v) {
    Serializer<uint64_t>::Write(s, static_cast<uint64_t>(v.size()));
    for (size_t i = 0; i < v.size(); ++i) Serializer<T>::Write(s, v[i]);
  }
  static bool Read(Stream* s, ffi::Array<T>* v) {
    uint64_t n;
    if (!Serializer<uint64_t>::Read(s, &n)) return false;
    for (uint64_t i = 0; i < n; ++i) {
      T item;
      if (!Serializer<T>::Read(s, &item)) return false;
      v->push_back(std::move(item));
    }
    return true;
  }
};

template <typename K, typename V>
struct Serializer<ffi::Map<K, V>> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const ffi::Map<K, V>& v) {
    Serializer<uint64_t>::Write(s, static_cast<uint64_t>(v.size()));
    for (const auto& kv : v) {
      Serializer<K>::Write(s, kv.first);
      Serializer<V>::Write(s, kv.second);
    }
  }
  static bool Read(Stream* s, ffi::Map<K, V>* v) {
    uint64_t n;
    if (!Serializer<uint64_t>::Read(s, &n)) return false;
    for (uint64_t i = 0; i < n; ++i) {
      K key;
      V value;
      if (!Serializer<K>::Read(s, &key) || !Serializer<V>::Read(s, &value)) return false;
      v->Set(std::move(key), std::move(value));
    }
    return true;
  }
};

template <>
struct Serializer<DLDataType> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const DLDataType& t) {
    Serializer<uint8_t>::Write(s, t.code);
    Serializer<uint8_t>::Write(s, t.bits);
    Serializer<uint16_t>::Write(s, t.lanes);
  }
  static bool Read(Stream* s, DLDataType* t) {
    return Serializer<uint8_t>::Read(s, &t->code) && Serializer<uint8_t>::Read(s, &t->bits) && Serializer<uint16_t>::Read(s, &t->lanes);
  }
};

template <>
struct Serializer<DLDevice> {
  static constexpr bool enabled = true;
  static void Write(Stream* s, const DLDevice& d) {
    Serializer<int32_t>::Write(s, static_cast<int32_t>(d.device_type));
    Serializer<int32_t>::Write(s, d.device_id);
  }
  static bool Read(Stream* s, DLDevice* d) {
    int32_t type = 0;
    if (!Serializer<int32_t>::Read(s, &type)) return false;
    d->device_type = static_cast<DLDeviceType>(type);
    return Serializer<int32_t>::Read(s, &d->device_id);
  }
};

}  // namespace support
}  // namespace tvm
#endif  // TVM_SUPPORT_SERIALIZER_H_
