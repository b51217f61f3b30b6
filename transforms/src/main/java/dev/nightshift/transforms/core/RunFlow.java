package dev.nightshift.transforms.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;

/**
 * The order of a pipeline's steps as it applies them: its top-level transform names in
 * topological order, cut at the first {@code /} (a step's transforms are named {@code step} or
 * {@code step/part}; a fused chain is named {@code step+step+...}, the branch of a
 * de-duplication's candidates {@code (step candidates) step+...}, see {@link Checked}). The
 * manifest sorts steps by name; reports show them in this order.
 */
final class RunFlow {
  private RunFlow() {}

  static List<String> of(Pipeline pipeline) {
    Set<String> steps = new LinkedHashSet<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        add(node);
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        add(node);
      }

      private void add(TransformHierarchy.Node node) {
        if (!node.isRootNode() && node.getFullName() != null && !node.getFullName().isEmpty()) {
          String name = node.getFullName().split("/", 2)[0];
          if (name.startsWith("(") && name.contains(") ")) {
            name = name.substring(name.indexOf(") ") + 2);
          }
          for (String step : name.split("\\+")) {
            steps.add(step);
          }
        }
      }
    });
    return new ArrayList<>(steps);
  }
}
