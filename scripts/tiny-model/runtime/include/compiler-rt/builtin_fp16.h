// IEEE-754 conversions between binary formats, as the templates TVM's sort
// kernels call (__extendXfYf2__ / __truncXfYf2__ with the source and
// destination's storage types and significand widths). Our own code: a
// generic widening conversion (exact) and a narrowing one (round to nearest,
// ties to even), with subnormals, infinities and NaN.
#pragma once
#include <cstdint>
#include <cstring>

namespace tiny_fp {
template <typename Bits>
constexpr int bits_of() { return static_cast<int>(sizeof(Bits) * 8); }

/** Decodes `x` (sign, biased exponent, significand with `SIG` bits) into sign, unbiased exponent and a 64-bit significand with its leading 1 at bit 62. */
template <typename Bits, int SIG>
inline bool decode(Bits x, bool& sign, int& exp, uint64_t& mant, bool& inf, bool& nan) {
  constexpr int EXP = bits_of<Bits>() - SIG - 1;
  constexpr int BIAS = (1 << (EXP - 1)) - 1;
  const uint64_t raw = static_cast<uint64_t>(x);
  sign = (raw >> (bits_of<Bits>() - 1)) & 1;
  const int e = static_cast<int>((raw >> SIG) & ((1u << EXP) - 1));
  uint64_t m = raw & ((uint64_t(1) << SIG) - 1);
  inf = nan = false;
  if (e == (1 << EXP) - 1) {
    inf = m == 0;
    nan = m != 0;
    return false;
  }
  if (e == 0) {
    if (m == 0) return false;  // zero
    exp = 1 - BIAS;
    while ((m & (uint64_t(1) << SIG)) == 0) {
      m <<= 1;
      exp--;
    }
  } else {
    exp = e - BIAS;
    m |= uint64_t(1) << SIG;
  }
  mant = m << (62 - SIG);
  return true;
}

template <typename Bits, int SIG>
inline Bits encode(bool sign, int exp, uint64_t mant, bool inf, bool nan, bool nonzero) {
  constexpr int EXP = bits_of<Bits>() - SIG - 1;
  constexpr int BIAS = (1 << (EXP - 1)) - 1;
  const uint64_t s = uint64_t(sign) << (bits_of<Bits>() - 1);
  const uint64_t exp_all = uint64_t((1 << EXP) - 1) << SIG;
  if (nan) return static_cast<Bits>(s | exp_all | (uint64_t(1) << (SIG - 1)));
  if (inf) return static_cast<Bits>(s | exp_all);
  if (!nonzero) return static_cast<Bits>(s);
  int biased = exp + BIAS;
  int shift = 62 - SIG;  // from the 62-bit significand down to SIG bits
  if (biased <= 0) {     // subnormal: shift further
    shift += 1 - biased;
    biased = 0;
  }
  uint64_t m;
  if (shift >= 64) {
    m = 0;
  } else {
    m = mant >> shift;
    const uint64_t rest = mant & ((uint64_t(1) << shift) - 1);
    const uint64_t half = uint64_t(1) << (shift - 1);
    if (rest > half || (rest == half && (m & 1))) m++;
  }
  if (biased == 0) {
    // A subnormal that rounded up to the smallest normal carries into the exponent field.
    return static_cast<Bits>(s | m);
  }
  if (m >> (SIG + 1)) {  // rounding overflowed the significand
    m >>= 1;
    biased++;
  }
  if (biased >= (1 << EXP) - 1) return static_cast<Bits>(s | exp_all);
  return static_cast<Bits>(s | (uint64_t(biased) << SIG) | (m & ((uint64_t(1) << SIG) - 1)));
}

template <typename T, typename Bits>
inline Bits to_bits(T value) {
  Bits b;
  std::memcpy(&b, &value, sizeof b);
  return b;
}
template <typename T, typename Bits>
inline T from_bits(Bits b) {
  T value;
  std::memcpy(&value, &b, sizeof value);
  return value;
}

template <typename SrcT, typename SrcBits, int SrcSig, typename DstT, typename DstBits, int DstSig>
inline DstT convert(SrcT a) {
  bool sign = false, inf = false, nan = false;
  int exp = 0;
  uint64_t mant = 0;
  const bool nonzero = decode<SrcBits, SrcSig>(to_bits<SrcT, SrcBits>(a), sign, exp, mant, inf, nan);
  return from_bits<DstT, DstBits>(encode<DstBits, DstSig>(sign, exp, mant, inf, nan, nonzero));
}
}  // namespace tiny_fp

/** Widening: source value type, its storage, significand bits; then the destination's. */
template <typename SrcT, typename SrcBits, int SrcSig, typename DstT, typename DstBits, int DstSig>
inline DstT __extendXfYf2__(SrcT a) {
  return tiny_fp::convert<SrcT, SrcBits, SrcSig, DstT, DstBits, DstSig>(a);
}

/** Narrowing, rounding to nearest (ties to even). */
template <typename SrcT, typename SrcBits, int SrcSig, typename DstT, typename DstBits, int DstSig>
inline DstT __truncXfYf2__(SrcT a) {
  return tiny_fp::convert<SrcT, SrcBits, SrcSig, DstT, DstBits, DstSig>(a);
}
