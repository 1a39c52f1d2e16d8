package io.kmemsim.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows of text as left-aligned columns separated by two spaces (the last column unpadded). */
final class Table {

    private Table() {
    }

    static void print(PrintWriter out, List<String[]> rows) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.setLength(0);
            for (int c = 0; c < row.length; c++) {
                sb.append(row[c]);
                if (c < row.length - 1) {
                    sb.append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
