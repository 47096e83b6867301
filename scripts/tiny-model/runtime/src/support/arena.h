// Our stand-in for TVM's src/support/arena.h (not shipped in the wheel):
// scratch memory for the RPC endpoint, freed all at once.
#ifndef TVM_SUPPORT_ARENA_H_
#define TVM_SUPPORT_ARENA_H_
#include <cstddef>
#include <memory>
#include <vector>

namespace tvm {
namespace support {

class Arena {
 public:
  /** Memory for `count` trivially-constructible T, valid until RecycleAll(). */
  template <typename T>
  T* allocate_(int count = 1) {
    static_assert(std::is_trivial_v<T>, "the arena holds trivial types only");
    blocks_.emplace_back(new std::max_align_t[(sizeof(T) * static_cast<size_t>(count) + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t) + 1]);
    return reinterpret_cast<T*>(blocks_.back().get());
  }
  void RecycleAll() { blocks_.clear(); }

 private:
  std::vector<std::unique_ptr<std::max_align_t[]>> blocks_;
};

}  // namespace support
}  // namespace tvm
#endif  // TVM_SUPPORT_ARENA_H_
