// Link-time stand-ins for what the model library must not import. WebLLM's
// glue gives a wasm only a handful of WASI calls (fd_close, fd_read, fd_seek,
// fd_write, proc_exit, environ_get, environ_sizes_get, clock_time_get); any
// other import fails instantiation. Our own code.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <wasi/api.h>

// wasi-libc's startup asks about preopened directories and stdio flags; a
// browser has neither, so each answers "bad file descriptor" / "no such thing".
#define WASI_LOCAL(name) int32_t __imported_wasi_snapshot_preview1_##name
WASI_LOCAL(fd_fdstat_get)(int32_t fd, int32_t out) { (void)fd; (void)out; return __WASI_ERRNO_BADF; }
WASI_LOCAL(fd_fdstat_set_flags)(int32_t fd, int32_t flags) { (void)fd; (void)flags; return __WASI_ERRNO_BADF; }
WASI_LOCAL(fd_prestat_get)(int32_t fd, int32_t out) { (void)fd; (void)out; return __WASI_ERRNO_BADF; }
WASI_LOCAL(fd_prestat_dir_name)(int32_t fd, int32_t path, int32_t len) { (void)fd; (void)path; (void)len; return __WASI_ERRNO_BADF; }
WASI_LOCAL(path_open)(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags, int64_t base, int64_t inheriting, int32_t fdflags, int32_t out) {
  (void)fd; (void)dirflags; (void)path; (void)path_len; (void)oflags; (void)base; (void)inheriting; (void)fdflags; (void)out;
  return __WASI_ERRNO_NOENT;
}

// WebLLM's glue refreshes its views of wasm memory only when told memory grew
// (emscripten's notification); wasi-libc's own sbrk grows memory silently.
__attribute__((import_module("env"), import_name("emscripten_notify_memory_growth"))) void emscripten_notify_memory_growth(int32_t memory_index);

extern unsigned char __heap_base;
static uintptr_t heap_end = 0;

void* sbrk(intptr_t increment) {
  if (heap_end == 0) heap_end = (uintptr_t)&__heap_base;
  const uintptr_t old_end = heap_end;
  const uintptr_t new_end = old_end + (uintptr_t)increment;
  const uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
  if (new_end > have) {
    const uintptr_t pages = (new_end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return (void*)-1;
    emscripten_notify_memory_growth(0);
  }
  heap_end = new_end;
  return (void*)old_end;
}
