package com.factory.inspect.shell;

import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns for terminal output. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    TextTable row(Object... cells) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                b.append(row[i]);
                if (i < columns - 1) {
                    b.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
