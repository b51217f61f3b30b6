package dev.nightshift.pipelines.gen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@link DatasetGenerator} wrote ({@code generation.json}): data rows per file (header
 * excluded), planted defects per reason code, and how many main records a correct pipeline must
 * accept ({@code size} minus all planted defects).
 *
 * <p>The JSON has a fixed field order and {@code \n} line ends, so equal reports serialise to
 * equal bytes.
 */
public record GenerationReport(
    String dataset,
    LocalDate businessDate,
    long size,
    long seed,
    double badRate,
    SortedMap<String, Long> rowsPerFile,
    SortedMap<String, Long> planted,
    long expectedValidRecords) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public GenerationReport {
    rowsPerFile = Collections.unmodifiableSortedMap(new TreeMap<>(rowsPerFile));
    planted = Collections.unmodifiableSortedMap(new TreeMap<>(planted));
  }

  /** Total planted defects over all reasons. */
  public long totalPlanted() {
    return planted.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Pretty-printed JSON in a fixed field order, without a trailing newline. */
  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("dataset", dataset);
    root.put("businessDate", businessDate == null ? null : businessDate.toString());
    root.put("size", size);
    root.put("seed", seed);
    root.put("badRate", badRate);
    ObjectNode rows = root.putObject("rowsPerFile");
    rowsPerFile.forEach(rows::put);
    ObjectNode plantedNode = root.putObject("planted");
    planted.forEach(plantedNode::put);
    root.put("expectedValidRecords", expectedValidRecords);
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return MAPPER.writer(printer).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses what {@link #toJson()} wrote. */
  public static GenerationReport fromJson(String json) {
    try {
      JsonNode root = MAPPER.readTree(json);
      JsonNode date = root.path("businessDate");
      return new GenerationReport(
          root.path("dataset").asText(),
          date.isNull() || date.isMissingNode() ? null : LocalDate.parse(date.asText()),
          root.path("size").asLong(),
          root.path("seed").asLong(),
          root.path("badRate").asDouble(),
          longMap(root.path("rowsPerFile")),
          longMap(root.path("planted")),
          root.path("expectedValidRecords").asLong());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a generation report: " + e.getOriginalMessage(), e);
    }
  }

  private static SortedMap<String, Long> longMap(JsonNode node) {
    SortedMap<String, Long> map = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), e.getValue().asLong());
    }
    return map;
  }
}
