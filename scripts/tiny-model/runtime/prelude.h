// Force-included before every runtime source. Debian's wasm32-wasi libc++ is
// built without threads, so <mutex> and <thread> declare nothing; the model
// library runs on one thread (WebLLM calls it from one worker), so these
// single-threaded stand-ins are exact.
#pragma once
#ifdef __cplusplus
#include <chrono>
#include <mutex>
#include <thread>

_LIBCPP_BEGIN_NAMESPACE_STD
struct mutex {
  constexpr mutex() noexcept = default;
  mutex(const mutex&) = delete;
  mutex& operator=(const mutex&) = delete;
  void lock() {}
  bool try_lock() { return true; }
  void unlock() {}
};
struct recursive_mutex : mutex {};
struct shared_mutex : mutex {
  void lock_shared() {}
  void unlock_shared() {}
};
template <class... M>
struct scoped_lock {
  explicit scoped_lock(M&...) {}
};
namespace this_thread {
inline void yield() noexcept {}
template <class R, class P>
inline void sleep_for(const chrono::duration<R, P>&) {}
}  // namespace this_thread
_LIBCPP_END_NAMESPACE_STD
#endif

#ifdef __cplusplus
#include <fstream>
#include "tiny_fstream.h"
#endif
