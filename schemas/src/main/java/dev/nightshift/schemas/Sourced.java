package dev.nightshift.schemas;

/** A record that knows the file and line it was read from. */
public interface Sourced {
  SourceRef source();
}
