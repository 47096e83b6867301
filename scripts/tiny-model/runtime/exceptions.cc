// Debian's wasm32-wasi libc++abi has no exception support, and nothing can
// unwind through WebLLM's JavaScript anyway: a C++ throw (a TVM error) prints
// what it can and traps. WebLLM sees the trap; the message is on the console.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <typeinfo>

extern "C" {
void* __cxa_allocate_exception(size_t size) noexcept { return std::malloc(size); }
void __cxa_free_exception(void* object) noexcept { std::free(object); }
[[noreturn]] void __cxa_throw(void* object, std::type_info* type, void (*)(void*)) {
  // TVM throws ffi::Error (a std::exception): print its message.
  if (type != nullptr) std::fprintf(stderr, "uncaught C++ exception (%s)\n", type->name());
  if (object != nullptr && type != nullptr) {
    const std::exception* error = static_cast<const std::exception*>(object);
    std::fprintf(stderr, "%s\n", error->what());
  }
  std::fflush(stderr);
  __builtin_trap();
}
}
