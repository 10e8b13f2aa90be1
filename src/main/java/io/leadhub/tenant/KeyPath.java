package io.leadhub.tenant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A location in a tenant file's tree: a list of mapping keys (String) and sequence indexes (Integer). */
final class KeyPath {

    static final KeyPath ROOT = new KeyPath(List.of());

    private final List<Object> segments;

    private KeyPath(List<Object> segments) {
        this.segments = segments;
    }

    /**
     * @param elements keys (String) and indexes (Integer), e.g. from a networknt {@code JsonNodePath}
     * @return the path
     */
    static KeyPath of(List<?> elements) {
        KeyPath path = ROOT;
        for (Object e : elements) {
            path = e instanceof Integer i ? path.index(i) : path.child(String.valueOf(e));
        }
        return path;
    }

    KeyPath child(String key) {
        List<Object> s = new ArrayList<>(segments);
        s.add(key);
        return new KeyPath(Collections.unmodifiableList(s));
    }

    KeyPath index(int index) {
        List<Object> s = new ArrayList<>(segments);
        s.add(index);
        return new KeyPath(Collections.unmodifiableList(s));
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    KeyPath parent() {
        return segments.isEmpty() ? this : new KeyPath(segments.subList(0, segments.size() - 1));
    }

    int depth() {
        return segments.size();
    }

    Object segment(int i) {
        return segments.get(i);
    }

    boolean startsWith(KeyPath prefix) {
        return prefix.segments.size() <= segments.size()
                && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    /** @return e.g. {@code destinations[0].computed.estimated_value}; empty for the root */
    String dotted() {
        StringBuilder b = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(s);
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPath other && segments.equals(other.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }

    @Override
    public String toString() {
        return dotted();
    }
}
