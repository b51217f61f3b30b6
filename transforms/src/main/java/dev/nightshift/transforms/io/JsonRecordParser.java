package dev.nightshift.transforms.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.schemas.SourceRef;
import dev.nightshift.transforms.core.RecordException;
import java.io.Serializable;

/** Turns one JSON object (one line of a JSON-lines file) into a typed record, or refuses it. */
public interface JsonRecordParser<T> extends Serializable {
  T parse(JsonNode node, SourceRef source) throws RecordException;
}
