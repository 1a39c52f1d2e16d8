package io.kmemsim.engine.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYAreaRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Builds the report's charts with JFreeChart, in one style: white background, light grid, a palette that
 * tells up to a dozen series apart and prints in grey. Pure construction; rendering is {@link Figure}'s.
 */
final class Charts {

    static final int WIDTH = 720;
    static final int HEIGHT = 300;

    /** Tableau-like palette, readable on white and distinct in print. */
    private static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
        new Color(0x76b7b2), new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
        new Color(0x9c755f), new Color(0xbab0ac), new Color(0x1f3b5a), new Color(0x8c564b), new Color(0x17becf)};

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    private Charts() {
    }

    static Paint color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** A named series of (x, y) points. */
    record Line(String name, double[] x, double[] y) {
    }

    /** Lines over a shared x axis; NaN y values are gaps. */
    static JFreeChart lines(String title, String xLabel, String yLabel, List<Line> lines, boolean steps) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line l : lines) {
            XYSeries s = new XYSeries(l.name(), false, true);
            for (int i = 0; i < l.x().length; i++) {
                s.add(l.x()[i], Double.isNaN(l.y()[i]) ? null : l.y()[i], false);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = steps ? new XYStepRenderer() : new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < lines.size(); i++) {
            r.setSeriesPaint(i, color(i));
            r.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        plot.setRenderer(r);
        NumberAxis range = (NumberAxis) plot.getRangeAxis();
        range.setAutoRangeIncludesZero(true);
        boolean nonNegative = lines.stream().allMatch(l -> java.util.Arrays.stream(l.y()).allMatch(v -> !(v < 0)));
        if (nonNegative) {
            range.setRangeType(org.jfree.data.RangeType.POSITIVE);
        }
        range.setAutoRangeMinimumSize("index".equals(yLabel) ? 0.01 : 1.0);
        return style(chart);
    }

    /**
     * Stacked areas over a shared x axis (each y array the same length as x). Drawn as one filled path per
     * series: the running sums from the top band down, each band painted over the one above it, so a figure
     * stays small however many points it has.
     */
    static JFreeChart stacked(String title, String xLabel, String yLabel, double[] x, List<String> names,
                              List<double[]> ys) {
        XYSeriesCollection data = new XYSeriesCollection();
        double[] sum = new double[x.length];
        List<double[]> sums = new java.util.ArrayList<>();
        for (double[] y : ys) {
            for (int i = 0; i < x.length; i++) {
                sum[i] += y[i];
            }
            sums.add(sum.clone());
        }
        for (int k = names.size() - 1; k >= 0; k--) {
            XYSeries s = new XYSeries(names.get(k), false, true);
            for (int i = 0; i < x.length; i++) {
                s.add(x[i], sums.get(k)[i], false);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYAreaChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYAreaRenderer r = new XYAreaRenderer(XYAreaRenderer.AREA);
        for (int i = 0; i < names.size(); i++) {
            r.setSeriesPaint(i, color(names.size() - 1 - i));
        }
        plot.setRenderer(r);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        plot.setForegroundAlpha(1f);
        return style(chart);
    }

    /** Grouped bars: {@code values[row][column]}; a log value axis when {@code log}. */
    static JFreeChart bars(String title, String categoryLabel, String valueLabel, List<String> rows,
                           List<String> columns, double[][] values, boolean log, boolean horizontal) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                data.addValue(values[r][c], rows.get(r), columns.get(c));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data,
                horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.02);
        for (int i = 0; i < rows.size(); i++) {
            r.setSeriesPaint(i, color(i));
        }
        if (log) {
            LogAxis axis = new LogAxis(valueLabel);
            axis.setSmallestValue(1);
            axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0));
            axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
            plot.setRangeAxis(axis);
        }
        if (!horizontal && columns.size() > 12) {
            plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setBackgroundPaint(Color.WHITE);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(TITLE);
        return chart;
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        TextTitle t = chart.getTitle();
        if (t != null) {
            t.setFont(TITLE);
        }
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(new Color(0x999999));
        return chart;
    }
}
