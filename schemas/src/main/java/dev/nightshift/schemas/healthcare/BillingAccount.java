package dev.nightshift.schemas.healthcare;

import dev.nightshift.schemas.coder.RecordCoder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Billing: what a patient's statement is built from, summed per patient: the open items (in no
 * particular order; the statement sorts them) and the payments received (their total and count).
 * Immutable; {@link #plus} makes a new account.
 */
public record BillingAccount(List<BillingOpenItem> items, BigDecimal paid, long payments)
    implements Serializable {

  public BillingAccount {
    items = List.copyOf(items);
  }

  public static final BillingAccount ZERO = new BillingAccount(List.of(), BigDecimal.ZERO, 0);

  public static BillingAccount of(BillingOpenItem item) {
    return new BillingAccount(List.of(item), BigDecimal.ZERO, 0);
  }

  public static BillingAccount payment(BigDecimal amount) {
    return new BillingAccount(List.of(), amount, 1);
  }

  public BillingAccount plus(BillingAccount other) {
    List<BillingOpenItem> all = new ArrayList<>(items.size() + other.items.size());
    all.addAll(items);
    all.addAll(other.items);
    return new BillingAccount(all, paid.add(other.paid), payments + other.payments);
  }

  public static final RecordCoder<BillingAccount> CODER =
      RecordCoder.of(
          BillingAccount.class,
          (a, out) -> {
            out.integer(a.items.size());
            for (BillingOpenItem i : a.items) {
              out.with(BillingOpenItem.CODER, i);
            }
            out.decimal(a.paid).lng(a.payments);
          },
          in -> {
            int n = in.integer();
            List<BillingOpenItem> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              items.add(in.with(BillingOpenItem.CODER));
            }
            return new BillingAccount(items, in.decimal(), in.lng());
          });
}
