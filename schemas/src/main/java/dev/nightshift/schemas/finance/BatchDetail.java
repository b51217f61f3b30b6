package dev.nightshift.schemas.finance;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction inside a batched bank statement entry (camt.053 {@code TxDtls} when an entry
 * books several transactions at once): its end-to-end id ({@code ""} if none) and its own signed
 * amount (credit +, debit -).
 */
public record BatchDetail(String endToEndId, BigDecimal amount) implements Serializable {

  public static final RecordCoder<BatchDetail> CODER =
      RecordCoder.of(
          BatchDetail.class,
          (d, out) -> out.str(d.endToEndId).decimal(d.amount),
          in -> new BatchDetail(in.str(), in.decimal()));

  /** A list is written as its size, then each item with {@link #CODER}. */
  static void writeList(List<BatchDetail> details, RecordCoder.Out out) throws IOException {
    out.integer(details.size());
    for (BatchDetail d : details) {
      out.with(CODER, d);
    }
  }

  static List<BatchDetail> readList(RecordCoder.In in) throws IOException {
    int n = in.integer();
    List<BatchDetail> details = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      details.add(in.with(CODER));
    }
    return List.copyOf(details);
  }
}
