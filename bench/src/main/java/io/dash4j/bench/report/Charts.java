package io.dash4j.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The report's PNG charts, drawn with XChart. */
final class Charts {

    static final int WIDTH = 1000;
    static final int HEIGHT = 560;

    private Charts() {
    }

    /** Horizontal-label bar chart: one series, one bar per category, values printed on the bars. */
    static void bars(Path png, String title, String yTitle, List<String> categories, List<Double> values,
                     String decimalPattern) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsPosition(0.95);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setDecimalPattern(decimalPattern);
        chart.addSeries(yTitle, categories, values);
        save(chart, png);
    }

    /** Grouped bars: one series per key of {@code series}, each with a value per category. */
    static void groupedBars(Path png, String title, String yTitle, List<String> categories,
                            Map<String, List<Double>> series, boolean logY) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(logY);
        if (logY) {
            // bars grow from the axis minimum: put it at the power of ten below the smallest value
            double min = series.values().stream().flatMap(List::stream)
                    .filter(v -> v != null && v > 0 && !Double.isNaN(v)).mapToDouble(Double::doubleValue).min().orElse(1);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        }
        chart.getStyler().setDecimalPattern("#,##0.#");
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            chart.addSeries(e.getKey(), categories, e.getValue());
        }
        save(chart, png);
    }

    /** Lines with markers: x → y for each series ({@code x[i], y[i]} pairs). */
    static void lines(Path png, String title, String xTitle, String yTitle, Map<String, double[][]> series,
                      boolean logX) throws IOException {
        lines(png, title, xTitle, yTitle, series, logX, null, List.of());
    }

    /**
     * Lines with markers; the series named in {@code rightSeries} use a second y axis on the right,
     * titled {@code rightTitle}.
     */
    static void lines(Path png, String title, String xTitle, String yTitle, Map<String, double[][]> series,
                      boolean logX, String rightTitle, List<String> rightSeries) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setDecimalPattern("#,##0.##");
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[][] xy = e.getValue();
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), xy[0], xy[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (rightSeries.contains(e.getKey())) {
                s.setYAxisGroup(1);
            }
        }
        if (rightTitle != null) {
            chart.setYAxisGroupTitle(1, rightTitle);
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        save(chart, png);
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setLegendBorderColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setPlotBorderVisible(false);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
