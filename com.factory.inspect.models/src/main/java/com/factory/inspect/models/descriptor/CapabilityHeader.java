package com.factory.inspect.models.descriptor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code Provide-Capability} header outside a framework (a model jar not yet installed):
 * clauses separated by commas, each a namespace followed by {@code ;name=value} attributes
 * (optionally typed, {@code name:Type=value}) and {@code ;name:=value} directives, values optionally
 * quoted.
 */
final class CapabilityHeader {

    /** One capability: its namespace and attributes (typed ones by their plain name, as strings). */
    record Capability(String namespace, Map<String, String> attributes) {
    }

    private CapabilityHeader() {
    }

    static List<Capability> parse(String header) {
        List<Capability> capabilities = new ArrayList<>();
        if (header == null) {
            return capabilities;
        }
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            if (parts.isEmpty() || parts.get(0).isBlank()) {
                continue;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String part : parts.subList(1, parts.size())) {
                int eq = part.indexOf('=');
                if (eq < 0 || part.startsWith(":=", eq - 1)) {
                    continue; // a directive, or malformed
                }
                String name = part.substring(0, eq).trim();
                int colon = name.indexOf(':');
                if (colon >= 0) {
                    name = name.substring(0, colon).trim();
                }
                attributes.put(name, unquote(part.substring(eq + 1).trim()));
            }
            capabilities.add(new Capability(parts.get(0).trim(), attributes));
        }
        return capabilities;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }
}
