package io.gosync.protocol;

import com.github.luben.zstd.Zstd;

import java.util.Base64;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * A target's need-list: the manifest indices of the files it must be sent. Immutable, so it can
 * pass between verticles and serve as the key that groups targets with the same needs. Its one
 * encoding is the zstd-compressed bit set (base64 inside JSON): a need-list of every index of a
 * million-entry manifest is a few hundred bytes.
 */
public final class NeedList {

  public static final NeedList NONE = new NeedList(new BitSet());

  private final BitSet indices;

  private NeedList(BitSet indices) {
    this.indices = indices;
  }

  /** A need-list of the indices set in {@code indices}, which it copies. */
  public static NeedList of(BitSet indices) {
    return new NeedList((BitSet) indices.clone());
  }

  public boolean contains(int index) {
    return index >= 0 && indices.get(index);
  }

  /** @return the first needed index at or after {@code from}, or -1 when there is none */
  public int next(int from) {
    return indices.nextSetBit(from);
  }

  public IntStream indices() {
    return indices.stream();
  }

  /** How many files are needed. */
  public int size() {
    return indices.cardinality();
  }

  public boolean isEmpty() {
    return indices.isEmpty();
  }

  /** True when exactly these indices, and no others, are needed. */
  public boolean sameAs(BitSet other) {
    return indices.equals(other);
  }

  public byte[] encode() {
    return Zstd.compress(indices.toByteArray());
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(encode());
  }

  /** Decodes and checks: the size is capped before inflating, and no index may lie beyond the manifest. */
  public static NeedList decode(byte[] compressed, int manifestSize) {
    byte[] bits;
    try {
      long size = compressed.length == 0 ? -1 : Zstd.getFrameContentSize(compressed);
      if (size < 0 || size > manifestSize / 8 + 1) {
        throw new IllegalArgumentException("need-list: bad size");
      }
      bits = size == 0 ? new byte[0] : Zstd.decompress(compressed, (int) size);
    } catch (RuntimeException e) {
      throw e instanceof IllegalArgumentException ? e : new IllegalArgumentException("need-list: unreadable (" + e.getMessage() + ")");
    }
    BitSet need = BitSet.valueOf(bits);
    if (need.length() > manifestSize) {
      throw new IllegalArgumentException("need-list: index beyond the manifest");
    }
    return new NeedList(need);
  }

  public static NeedList fromBase64(String text, int manifestSize) {
    try {
      return decode(Base64.getDecoder().decode(text), manifestSize);
    } catch (IllegalArgumentException e) {
      throw e.getMessage() != null && e.getMessage().startsWith("need-list") ? e
          : new IllegalArgumentException("need-list: not base64 (" + e.getMessage() + ")");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NeedList need && indices.equals(need.indices);
  }

  @Override
  public int hashCode() {
    return indices.hashCode();
  }

  @Override
  public String toString() {
    return indices.toString();
  }
}
