package dev.nightshift.transforms.aggregate;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.SerializableBiFunction;

/**
 * A {@link CombineFn} for values that add up: an immutable zero and an associative, commutative
 * {@code plus}. Input, accumulator and output are the same type, so adding an input and merging
 * partial sums are the same operation, and nothing is ever mutated.
 */
public final class SumFn<T extends Serializable> extends CombineFn<T, T, T> {
  private final T zero;
  private final SerializableBiFunction<T, T, T> plus;
  private final Coder<T> coder;

  private SumFn(T zero, SerializableBiFunction<T, T, T> plus, Coder<T> coder) {
    this.zero = zero;
    this.plus = plus;
    this.coder = coder;
  }

  public static <T extends Serializable> SumFn<T> of(
      T zero, SerializableBiFunction<T, T, T> plus, Coder<T> coder) {
    return new SumFn<>(zero, plus, coder);
  }

  @Override
  public T createAccumulator() {
    return zero;
  }

  @Override
  public T addInput(T sum, T input) {
    return plus.apply(sum, input);
  }

  @Override
  public T mergeAccumulators(Iterable<T> sums) {
    T total = zero;
    for (T sum : sums) {
      total = plus.apply(total, sum);
    }
    return total;
  }

  @Override
  public T extractOutput(T sum) {
    return sum;
  }

  @Override
  public Coder<T> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder) {
    return coder;
  }

  @Override
  public Coder<T> getDefaultOutputCoder(CoderRegistry registry, Coder<T> inputCoder) {
    return coder;
  }
}
