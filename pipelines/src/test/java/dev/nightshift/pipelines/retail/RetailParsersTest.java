package dev.nightshift.pipelines.retail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nightshift.schemas.SourceRef;
import dev.nightshift.schemas.retail.ClassifiedLine;
import dev.nightshift.schemas.retail.OrderLine;
import dev.nightshift.transforms.core.RecordException;
import dev.nightshift.transforms.io.CsvRow;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetailParsersTest {

  static OrderLine parse(String invoice, String code, String qty, String date, String price, String customer)
      throws RecordException {
    Map<String, Integer> header = new HashMap<>();
    for (int i = 0; i < OrderLine.COLUMNS.length; i++) {
      header.put(OrderLine.COLUMNS[i], i);
    }
    return RetailParsers.ORDER_LINES.parse(CsvRow.of(header,
        List.of(invoice, code, "A DESCRIPTION ", qty, date, price, customer, "United Kingdom"),
        SourceRef.of("f.csv", 2, "raw")));
  }

  static String reason(String invoice, String code, String qty, String date, String price, String customer) {
    return assertThrows(RecordException.class, () -> parse(invoice, code, qty, date, price, customer)).reasonCode();
  }

  @Test
  void readsTheSampleFormAndTheOriginalUciForm() throws RecordException {
    OrderLine a = parse("536365", "85123A", "6", "2010-12-01 08:26:00", "2.55", "17850.0");
    assertEquals(LocalDateTime.of(2010, 12, 1, 8, 26), a.invoiceTime());
    assertEquals("17850", a.customerId());
    assertEquals("A DESCRIPTION", a.description());
    OrderLine b = parse("C536379", "D", "-1", "12/1/2010 9:41", "27.5", "");
    assertEquals(LocalDateTime.of(2010, 12, 1, 9, 41), b.invoiceTime());
    assertEquals("", b.customerId());
    assertTrue(b.cancellation());
    assertEquals(ClassifiedLine.CANCELLATION, OrderProcessing.lineType(b));
    assertEquals(ClassifiedLine.NON_PRODUCT,
        OrderProcessing.lineType(parse("536370", "POST", "3", "2010-12-01T08:45", "18.0", "12583")));
    assertEquals(ClassifiedLine.GUEST_PURCHASE,
        OrderProcessing.lineType(parse("536544", "21777", "-10", "2010-12-01 16:50:00", "0.0", "")));
  }

  @Test
  void amountsRoundHalfEvenAndUnitPricesKeepTheirDigits() {
    assertEquals(new BigDecimal("0.02"), RetailParsers.amount(5, new BigDecimal("0.005")));
    assertEquals(new BigDecimal("-15.30"), RetailParsers.amount(-6, new BigDecimal("2.55")));
    assertEquals("18.00", OrderProcessing.unitPrice(new BigDecimal("18.0")));
    assertEquals("0.001", OrderProcessing.unitPrice(new BigDecimal("0.001")));
  }

  @Test
  void eachDefectHasItsReason() {
    assertEquals("INVALID_DATE", reason("536365", "1", "6", "2010-13-01 08:26:00", "2.55", ""));
    assertEquals("INVALID_DATE", reason("536365", "1", "6", "2010-02-30 08:26:00", "2.55", ""));
    assertEquals("INVALID_DATE", reason("536365", "1", "6", "1.12.2010 08:26", "2.55", ""));
    assertEquals("INVALID_NUMBER", reason("536365", "1", "6.5", "2010-12-01 08:26:00", "2.55", ""));
    assertEquals("INVALID_NUMBER", reason("536365", "1", "6", "2010-12-01 08:26:00", "2,55", ""));
    assertEquals("NEGATIVE_PRICE", reason("A563186", "B", "1", "2010-12-01 08:26:00", "-11062.06", ""));
    assertEquals("INVALID_CANCELLATION", reason("C536379", "1", "2", "2010-12-01 08:26:00", "2.55", ""));
    assertEquals("ZERO_QUANTITY", reason("536365", "1", "0", "2010-12-01 08:26:00", "2.55", ""));
    assertEquals("INVALID_CUSTOMER_ID", reason("536365", "1", "6", "2010-12-01 08:26:00", "2.55", "17850.5"));
    assertEquals("INVALID_INVOICE_NO", reason("INV536365", "1", "6", "2010-12-01 08:26:00", "2.55", ""));
    assertEquals("MISSING_FIELD", reason("536365", "", "6", "2010-12-01 08:26:00", "2.55", ""));
  }
}
