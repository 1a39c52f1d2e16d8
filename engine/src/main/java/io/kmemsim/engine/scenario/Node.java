package io.kmemsim.engine.scenario;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A scenario document as read, before binding: mappings, lists and scalars, each with the
 * {@link Origin} it was written at (Jackson's own tree model drops locations).
 */
sealed interface Node permits Node.MapNode, Node.ListNode, Node.Scalar {

    Origin origin();

    /** How the value reads in an error message: {@code "lots"}, {@code 12}, {@code a mapping}. */
    String describe();

    /** One key of a mapping with where the key itself was written. */
    record Field(String key, Origin keyOrigin, Node value) {
    }

    /** A mapping; its fields keep document order and may be replaced by overrides. */
    record MapNode(Origin origin, LinkedHashMap<String, Field> fields) implements Node {

        MapNode(Origin origin) {
            this(origin, new LinkedHashMap<>());
        }

        Node get(String key) {
            Field f = fields.get(key);
            return f == null ? null : f.value();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record ListNode(Origin origin, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** What a scalar was read as. */
    enum ScalarKind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    /** A scalar with its text as written (numbers keep their spelling, e.g. {@code 6.10}). */
    record Scalar(Origin origin, ScalarKind kind, String text) implements Node {

        boolean isNull() {
            return kind == ScalarKind.NULL;
        }

        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> ScenarioLoader.quoted(text);
                case NULL -> "null";
                default -> text;
            };
        }
    }
}
