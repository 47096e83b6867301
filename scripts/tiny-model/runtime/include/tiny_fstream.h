// Debian's wasm32-wasi libc++ is built without filesystem support, so <fstream>
// defines no stream classes (only <iosfwd>'s declarations). The runtime's file
// helpers (saving and loading binaries, never called in the browser) still
// need them to compile: these are minimal file streams over stdio.
#pragma once
#include <cstdio>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>

namespace tiny_fstream {
/** A streambuf reading or writing a FILE*, a byte at a time through a small buffer. */
class FileBuf : public std::streambuf {
 public:
  bool open(const char* name, std::ios_base::openmode mode) {
    const bool out = (mode & std::ios_base::out) != 0;
    file_ = std::fopen(name, out ? ((mode & std::ios_base::app) ? "ab" : "wb") : "rb");
    if (!out) setg(buf_, buf_, buf_);
    else setp(buf_, buf_ + sizeof buf_);
    return file_ != nullptr;
  }
  void close() {
    if (!file_) return;
    sync();
    std::fclose(file_);
    file_ = nullptr;
  }
  ~FileBuf() override { close(); }

 protected:
  int_type underflow() override {
    if (!file_) return traits_type::eof();
    const size_t n = std::fread(buf_, 1, sizeof buf_, file_);
    if (n == 0) return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(buf_[0]);
  }
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    if (!file_ || !pbase()) return 0;
    const size_t n = static_cast<size_t>(pptr() - pbase());
    if (n != 0 && std::fwrite(pbase(), 1, n, file_) != n) return -1;
    setp(buf_, buf_ + sizeof buf_);
    return 0;
  }
  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
    if (!file_) return pos_type(off_type(-1));
    sync();
    setg(buf_, buf_, buf_);
    const int whence = dir == std::ios_base::beg ? SEEK_SET : dir == std::ios_base::cur ? SEEK_CUR : SEEK_END;
    if (std::fseek(file_, static_cast<long>(off), whence) != 0) return pos_type(off_type(-1));
    return pos_type(std::ftell(file_));
  }
  pos_type seekpos(pos_type pos, std::ios_base::openmode mode) override { return seekoff(off_type(pos), std::ios_base::beg, mode); }

 private:
  std::FILE* file_ = nullptr;
  char buf_[4096];
};
}  // namespace tiny_fstream

// libc++ declares these in its versioned inline namespace.
_LIBCPP_BEGIN_NAMESPACE_STD
template <class CharT, class Traits>
class basic_ifstream : public basic_istream<CharT, Traits> {
 public:
  basic_ifstream() : basic_istream<CharT, Traits>(&buf_) {}
  explicit basic_ifstream(const std::string& name, ios_base::openmode mode = ios_base::in) : basic_ifstream(name.c_str(), mode) {}
  explicit basic_ifstream(const char* name, ios_base::openmode mode = ios_base::in) : basic_istream<CharT, Traits>(&buf_) {
    if (!buf_.open(name, mode | ios_base::in)) this->setstate(ios_base::failbit);
  }
  void close() { buf_.close(); }

 private:
  tiny_fstream::FileBuf buf_;
};

template <class CharT, class Traits>
class basic_ofstream : public basic_ostream<CharT, Traits> {
 public:
  basic_ofstream() : basic_ostream<CharT, Traits>(&buf_) {}
  explicit basic_ofstream(const std::string& name, ios_base::openmode mode = ios_base::out) : basic_ofstream(name.c_str(), mode) {}
  explicit basic_ofstream(const char* name, ios_base::openmode mode = ios_base::out) : basic_ostream<CharT, Traits>(&buf_) {
    if (!buf_.open(name, mode | ios_base::out)) this->setstate(ios_base::failbit);
  }
  void close() { buf_.close(); }

 private:
  tiny_fstream::FileBuf buf_;
};
_LIBCPP_END_NAMESPACE_STD
