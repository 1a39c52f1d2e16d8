package io.kmemsim.engine.report;

import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * One figure of the report: a JFreeChart chart with a stable file name, rendered server-side to SVG (inlined
 * into the HTML, or written with {@code --svg}) or PNG ({@code --png}).
 *
 * @param name    the file stem, e.g. {@code node0-Normal-free-by-order}; unique within a report
 * @param caption one sentence saying what is drawn and in which unit
 * @param chart   the chart
 * @param width   the width in pixels
 * @param height  the height in pixels
 */
record Figure(String name, String caption, JFreeChart chart, int width, int height) {

    /** The {@code <svg>} element, scaling to its container (a view box, no fixed size); ids prefixed by name. */
    String svgElement() {
        SVGGraphics2D g = render();
        return g.getSVGElement("fig-" + name, false, new ViewBox(0, 0, width, height), PreserveAspectRatio.XMID_YMID,
                MeetOrSlice.MEET);
    }

    /** A standalone SVG document. */
    String svgDocument() {
        return render().getSVGDocument();
    }

    private SVGGraphics2D render() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setGeomDoubleConverter(Figure::oneDecimal);
        g.setDefsKeyPrefix(name.replaceAll("[^A-Za-z0-9]", "") + "_");
        chart.draw(g, new Rectangle(0, 0, width, height));
        g.dispose();
        return g;
    }

    /** A coordinate with one decimal at most: a tenth of a pixel is finer than any screen or print needs. */
    static String oneDecimal(double d) {
        long tenths = Math.round(d * 10);
        if (tenths % 10 == 0) {
            return Long.toString(tenths / 10);
        }
        long a = Math.abs(tenths);
        return (tenths < 0 ? "-" : "") + a / 10 + "." + a % 10;
    }

    /** The figure as PNG bytes, at twice the pixel size for print. */
    byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeScaledChartAsPNG(out, chart, width, height, 2, 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
